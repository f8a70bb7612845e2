package io.argowasm.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import io.argowasm.exec.ExecutionLimits;
import io.argowasm.wapc.GuestMemories;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * The compute kernels on Chicory, compiled to JVM bytecode or interpreted, behind the three waPC
 * imports the kernels use. The same small host serves both engines, so they differ only in how the
 * guest's code runs; the plugin's own host makes the same Chicory calls (the plugin's own linear
 * memory, the same compiler) around them.
 */
final class KernelHost {

    /** How Chicory runs the guest's code. */
    enum Engine {
        COMPILER,
        INTERPRETER
    }

    /**
     * The linear memory the plugin gives guests, capped at the default {@code
     * plugin.wasm.limits.memory}.
     */
    static final Function<MemoryLimits, Memory> PLUGIN_MEMORY =
            GuestMemories.unbudgeted(ExecutionLimits.DEFAULTS.defaultMemoryBytes());

    private static final FunctionType TWO_I32 =
            FunctionType.of(List.of(ValType.I32, ValType.I32), List.of());

    private final ExportFunction guestCall;
    private byte[] operation;
    private byte[] payload;
    private byte[] response;
    private String error;

    private KernelHost(
            WasmModule module,
            Function<Instance, Machine> machineFactory,
            Function<MemoryLimits, Memory> memoryFactory) {
        ImportValues imports =
                ImportValues.builder()
                        .addFunction(
                                new HostFunction(
                                        "wapc",
                                        "__guest_request",
                                        TWO_I32,
                                        (instance, args) -> {
                                            instance.memory().write((int) args[0], operation);
                                            instance.memory().write((int) args[1], payload);
                                            return null;
                                        }),
                                new HostFunction(
                                        "wapc",
                                        "__guest_response",
                                        TWO_I32,
                                        (instance, args) -> {
                                            response =
                                                    instance.memory()
                                                            .readBytes(
                                                                    (int) args[0], (int) args[1]);
                                            return null;
                                        }),
                                new HostFunction(
                                        "wapc",
                                        "__guest_error",
                                        TWO_I32,
                                        (instance, args) -> {
                                            error =
                                                    new String(
                                                            instance.memory()
                                                                    .readBytes(
                                                                            (int) args[0],
                                                                            (int) args[1]),
                                                            StandardCharsets.UTF_8);
                                            return null;
                                        }))
                        .build();
        Instance.Builder builder =
                Instance.builder(module)
                        .withImportValues(imports)
                        .withMemoryFactory(memoryFactory)
                        .withStart(false);
        if (machineFactory != null) {
            builder.withMachineFactory(machineFactory);
        }
        Instance instance = builder.build();
        instance.export("_initialize").apply();
        instance.export("wapc_init").apply();
        guestCall = instance.export("__guest_call");
    }

    static KernelHost load(byte[] wasm, Engine engine) {
        WasmModule module = Parser.parse(wasm);
        return new KernelHost(
                module,
                engine == Engine.COMPILER ? MachineFactoryCompiler.compile(module) : null,
                PLUGIN_MEMORY);
    }

    /**
     * A host for experiments with Chicory's generated code: the given compiled code (null
     * interprets) over the given linear memory.
     */
    static KernelHost load(
            WasmModule module,
            Function<Instance, Machine> machineFactory,
            Function<MemoryLimits, Memory> memoryFactory) {
        return new KernelHost(module, machineFactory, memoryFactory);
    }

    /** Runs one kernel and returns the guest's response. */
    byte[] call(String kernel) {
        operation = kernel.getBytes(StandardCharsets.UTF_8);
        payload = "{}".getBytes(StandardCharsets.UTF_8);
        response = null;
        error = null;
        long ok = guestCall.apply(operation.length, payload.length)[0];
        if (ok != 1 || response == null) {
            throw new IllegalStateException("kernel " + kernel + " failed: " + error);
        }
        return response;
    }
}
