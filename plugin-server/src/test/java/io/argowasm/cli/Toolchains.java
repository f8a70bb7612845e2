package io.argowasm.cli;

import io.argowasm.release.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Whether the starters' toolchains are installed, the way their build scripts look for them; each
 * answer names what to install when something is missing.
 */
final class Toolchains {

    static final String C_PACKAGES = "clang lld wasi-libc libclang-rt-14-dev-wasm32";
    static final String RUST_PACKAGES = "rustc libstd-rust-dev-wasm32";

    private Toolchains() {}

    /** Empty when clang links a wasm32-wasi reactor; else what is missing. */
    static Optional<String> cMissing() {
        if (!Tools.onPath("clang") || !Tools.onPath("wasm-ld")) {
            return Optional.of(
                    "clang or wasm-ld is not on the PATH; apt-get install " + C_PACKAGES);
        }
        try {
            Path dir = Files.createTempDirectory("c-probe");
            Path source = Files.writeString(dir.resolve("probe.c"), "void probe(void) {}\n");
            boolean linked =
                    succeeds(
                            List.of(
                                    "clang",
                                    "--target=wasm32-wasi",
                                    "-mexec-model=reactor",
                                    "-o",
                                    dir.resolve("probe.wasm").toString(),
                                    source.toString()));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
            return linked
                    ? Optional.empty()
                    : Optional.of(
                            "clang cannot link for wasm32-wasi (WASI sysroot or compiler runtime"
                                    + " missing); apt-get install "
                                    + C_PACKAGES);
        } catch (IOException e) {
            return Optional.of("cannot probe clang: " + e.getMessage());
        }
    }

    /** Empty when a rustc has the wasm32-unknown-unknown standard library; else what is missing. */
    static Optional<String> rustMissing() {
        List<String> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("RUSTC")).ifPresent(candidates::add);
        candidates.add("rustc");
        candidates.add("/usr/bin/rustc");
        for (String rustc : candidates) {
            if (!rustc.contains("/") && !Tools.onPath(rustc)) {
                continue;
            }
            Optional<String> libdir =
                    output(
                            List.of(
                                    rustc,
                                    "--print",
                                    "target-libdir",
                                    "--target",
                                    "wasm32-unknown-unknown"));
            if (libdir.isPresent() && Files.isDirectory(Path.of(libdir.get().strip()))) {
                return Optional.empty();
            }
        }
        return Optional.of(
                "no rustc with the wasm32-unknown-unknown standard library; apt-get install "
                        + RUST_PACKAGES);
    }

    private static boolean succeeds(List<String> command) {
        return output(command).isPresent();
    }

    /** The command's output when it exits 0; the timeout only guards against a hang. */
    private static Optional<String> output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
