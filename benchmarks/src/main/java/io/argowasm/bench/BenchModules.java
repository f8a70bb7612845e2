package io.argowasm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The modules the benchmarks run, gathered by {@code run.sh} into one directory that it names in
 * the system property {@code bench.modules}: {@code echo.wasm} (the trivial guest), {@code
 * greet.wasm} (the small example), {@code kernels.wasm} and {@code large.wasm}.
 */
final class BenchModules {

    /** The payload the executor gives a guest for a step with one parameter. */
    static final byte[] STEP_PAYLOAD =
            ("{\"workflow\":{\"name\":\"bench\",\"namespace\":\"default\",\"uid\":\"0\"},"
                            + "\"template\":\"step\",\"parameters\":{\"text\":\"hello\"},"
                            + "\"options\":{}}")
                    .getBytes(StandardCharsets.UTF_8);

    private BenchModules() {}

    static Path directory() {
        String dir = System.getProperty("bench.modules");
        if (dir == null) {
            throw new IllegalStateException(
                    "set -Dbench.modules to the directory of built modules (benchmarks/run.sh"
                            + " does)");
        }
        return Path.of(dir);
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(directory().resolve(name + ".wasm"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operation the benchmarks call on a module. */
    static String operation(String name) {
        return switch (name) {
            case "greet" -> "greet";
            case "large" -> "run";
            case "kernels" -> "matmul";
            default -> "echo";
        };
    }
}
