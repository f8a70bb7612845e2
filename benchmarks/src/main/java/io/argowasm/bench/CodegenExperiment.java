package io.argowasm.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import com.dylibso.chicory.compiler.internal.Compiler;
import com.dylibso.chicory.compiler.internal.Shaded;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What Chicory 1.7.5's generated code would gain from two changes, measured on the compute kernels
 * (docs/chicory-codegen.md): a flat linear memory ({@link FlatMemory}) instead of the paged {@code
 * ByteArrayMemory}, and no thread-interrupt check on loop back-edges and calls (the check is a
 * static method of the compiler's {@code Shaded} class, which the compiler copies into every
 * module; this copy has an empty body). A prototype, not a benchmark of the report: one variant per
 * JVM, run by hand.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) -XX:+UseSerialGC \
 *     io.argowasm.bench.CodegenExperiment kernels.wasm VARIANT [warm-up calls] [measured calls]
 * </pre>
 *
 * VARIANT is {@code stock}, {@code flat-memory}, {@code no-interrupt-check}, {@code
 * flat-memory+no-interrupt-check} or {@code plugin-memory} (the stock code over the plugin's own
 * memory, as {@link KernelBenchmark} runs it).
 */
public final class CodegenExperiment {

    private static final String CHECK = "checkInterruption";

    private CodegenExperiment() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println(
                    "usage: CodegenExperiment KERNELS_WASM VARIANT [warm-up calls] [measured"
                            + " calls]");
            System.exit(2);
        }
        byte[] wasm = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[0]));
        String variant = args[1].toLowerCase(Locale.ROOT);
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        boolean flat = variant.contains("flat-memory");
        boolean noCheck = variant.contains("no-interrupt-check");
        boolean plugin = variant.equals("plugin-memory");
        if (!flat && !noCheck && !plugin && !variant.equals("stock")) {
            throw new IllegalArgumentException("unknown variant " + variant);
        }
        WasmModule module = Parser.parse(wasm);
        Function<MemoryLimits, Memory> memory =
                plugin ? KernelHost.PLUGIN_MEMORY : flat ? FlatMemory::new : ByteArrayMemory::new;
        KernelHost host =
                KernelHost.load(
                        module,
                        noCheck
                                ? withoutInterruptCheck(module)
                                : MachineFactoryCompiler.compile(module),
                        memory);
        for (String kernel : KernelRun.KERNELS) {
            for (int i = 0; i < warmUp; i++) {
                host.call(kernel);
            }
            List<Double> millis = new ArrayList<>();
            String answer = null;
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                answer = new String(host.call(kernel), StandardCharsets.UTF_8);
                millis.add((System.nanoTime() - start) / 1e6);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s %s median %.1f ms (min %.1f, max %.1f, %d calls) %s%n",
                    variant,
                    kernel,
                    Samples.of(millis).median(),
                    millis.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    millis.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                    runs,
                    answer);
        }
    }

    /** The module compiled as Chicory does, with an empty {@code checkInterruption}. */
    private static Function<Instance, Machine> withoutInterruptCheck(WasmModule module) {
        var result =
                Compiler.builder(module)
                        .withClassCollectorFactory(WithoutInterruptCheck::new)
                        .build()
                        .compile();
        return ((ClassLoadingCollector) result.collector()).machineFactory();
    }

    /** Hands the compiler a copy of {@code Shaded} whose interrupt check does nothing. */
    private static final class WithoutInterruptCheck extends ClassLoadingCollector {
        @Override
        public byte[] resolve(Class<?> clazz) {
            byte[] bytes = super.resolve(clazz);
            return clazz == Shaded.class ? emptyCheck(bytes) : bytes;
        }

        private static byte[] emptyCheck(byte[] bytes) {
            ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
            boolean[] found = {false};
            new ClassReader(bytes)
                    .accept(
                            new ClassVisitor(Opcodes.ASM9, writer) {
                                @Override
                                public MethodVisitor visitMethod(
                                        int access,
                                        String name,
                                        String descriptor,
                                        String signature,
                                        String[] exceptions) {
                                    MethodVisitor method =
                                            super.visitMethod(
                                                    access,
                                                    name,
                                                    descriptor,
                                                    signature,
                                                    exceptions);
                                    if (!name.equals(CHECK) || !descriptor.equals("()V")) {
                                        return method;
                                    }
                                    found[0] = true;
                                    method.visitCode();
                                    method.visitInsn(Opcodes.RETURN);
                                    method.visitMaxs(0, 0);
                                    method.visitEnd();
                                    return null;
                                }
                            },
                            0);
            if (!found[0]) {
                throw new IllegalStateException("Shaded has no " + CHECK + "() to empty");
            }
            return writer.toByteArray();
        }
    }
}
