package io.argowasm.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * The compute kernels on four runtimes, built from one C source: native x86-64, V8 through
 * {@code @wapc/host}, Chicory's compiler and Chicory's interpreter. Each runtime runs a kernel a
 * few times unmeasured, then measures single calls.
 */
final class KernelRun {

    static final List<String> KERNELS = List.of("sha256", "nbody", "matmul");
    static final List<String> RUNTIMES =
            List.of("native", "V8 (@wapc/host)", "Chicory compiler", "Chicory interpreter");

    /**
     * @param millis per kernel, per runtime
     * @param checksums per kernel, per runtime: what the kernel computed
     */
    record Result(
            Map<String, Map<String, Samples>> millis, Map<String, Map<String, String>> checksums) {}

    private final BenchSetup setup;

    KernelRun(BenchSetup setup) {
        this.setup = setup;
    }

    Result run() throws Exception {
        Map<String, Map<String, Samples>> millis = new LinkedHashMap<>();
        Map<String, Map<String, String>> checksums = new LinkedHashMap<>();
        for (String kernel : KERNELS) {
            millis.put(kernel, new LinkedHashMap<>());
            checksums.put(kernel, new LinkedHashMap<>());
        }
        int warmUp = setup.repeat(3);
        int runs = setup.repeat(10);
        for (String kernel : KERNELS) {
            record(
                    millis,
                    checksums,
                    kernel,
                    "native",
                    Commands.json(
                            List.of(
                                    setup.nativeKernels().toString(),
                                    "bench",
                                    kernel,
                                    Integer.toString(warmUp),
                                    Integer.toString(runs)),
                            Map.of()));
            record(
                    millis,
                    checksums,
                    kernel,
                    "V8 (@wapc/host)",
                    Commands.json(
                            List.of(
                                    "node",
                                    setup.v8Harness().toString(),
                                    setup.modules().resolve("kernels.wasm").toString(),
                                    kernel,
                                    Integer.toString(warmUp),
                                    Integer.toString(runs)),
                            Map.of()));
        }
        chicory(millis, checksums, "compiler", setup.repeat(5), runs);
        // An interpreted kernel takes seconds; its own JIT is warm after the first second.
        chicory(millis, checksums, "interpreter", 0, setup.repeat(3));
        return new Result(millis, checksums);
    }

    private void chicory(
            Map<String, Map<String, Samples>> millis,
            Map<String, Map<String, String>> checksums,
            String engine,
            int warmUp,
            int runs)
            throws Exception {
        Path checksumFile = Files.createTempFile(setup.work(), "checksums-", ".txt");
        Map<String, Samples> scores =
                Jmh.run(
                        new OptionsBuilder()
                                .include(KernelBenchmark.class.getName())
                                .param("engine", engine)
                                .forks(1)
                                .warmupIterations(warmUp)
                                .measurementIterations(runs)
                                .timeUnit(TimeUnit.MILLISECONDS)
                                .jvmArgsAppend(
                                        "-Dbench.modules=" + setup.modules(),
                                        "-Dbench.checksums=" + checksumFile,
                                        "-XX:+UseSerialGC"));
        String runtime = "Chicory " + engine;
        for (String kernel : KERNELS) {
            millis.get(kernel)
                    .put(runtime, scores.get("run engine=" + engine + " kernel=" + kernel));
        }
        for (String line : Files.readAllLines(checksumFile)) {
            String[] parts = line.split(" ", 3);
            JsonNode reply = Commands.JSON.readTree(parts[2]);
            checksums
                    .get(parts[1])
                    .put(runtime, reply.path("parameters").path("checksum").asString());
        }
        Files.delete(checksumFile);
    }

    private static void record(
            Map<String, Map<String, Samples>> millis,
            Map<String, Map<String, String>> checksums,
            String kernel,
            String runtime,
            JsonNode out) {
        List<Double> values = new ArrayList<>();
        out.path("millis").forEach(v -> values.add(v.asDouble()));
        millis.get(kernel).put(runtime, Samples.of(values));
        checksums.get(kernel).put(runtime, out.path("checksum").asString());
    }
}
