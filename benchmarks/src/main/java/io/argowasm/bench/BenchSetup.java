package io.argowasm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a benchmark run finds what {@code run.sh} built and writes what it measures, and how many
 * repetitions it makes: the full run, or a quick one that checks the harness.
 *
 * @param repo the repository root
 * @param work the scratch directory: built modules and kernels, logs, caches
 * @param quick fewer and shorter repetitions; the report says so
 */
record BenchSetup(Path repo, Path work, boolean quick) {

    /**
     * The setup {@code --repo DIR --work DIR --image-jdk DIR [--quick]} name, as {@code run.sh}
     * passes them: the image's JDK goes into {@code bench.imageJdk}, the module directory into
     * {@code bench.modules}, and the log directory is made.
     *
     * @param usage what a wrong argument's message shows
     */
    static BenchSetup fromArgs(String[] args, String usage) throws IOException {
        Path repo = null;
        Path work = null;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--work" -> work = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--image-jdk" -> System.setProperty("bench.imageJdk", args[++i]);
                case "--quick" -> quick = true;
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument %s; usage: %s".formatted(args[i], usage));
            }
        }
        if (repo == null || work == null) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        BenchSetup setup = new BenchSetup(repo, work, quick);
        System.setProperty("bench.modules", setup.modules().toString());
        Files.createDirectories(setup.logs());
        return setup;
    }

    Path jar() {
        return repo.resolve("plugin-server/target/wasm-executor-plugin.jar");
    }

    Path cdsArchive() {
        return repo.resolve("plugin-server/target/wasm-executor-plugin.jsa");
    }

    /**
     * The JDK the image runs, where {@code run.sh} found it ({@code -Dbench.imageJdk}, from {@code
     * JAVA25_HOME}).
     */
    Path imageJdk() {
        String home = System.getProperty("bench.imageJdk");
        if (home == null || !Files.isExecutable(Path.of(home, "bin", "java"))) {
            throw new IllegalStateException(
                    "no JDK 25 at '%s'; set JAVA25_HOME to one (the image's JDK) and run run.sh again"
                            .formatted(home));
        }
        return Path.of(home);
    }

    /** Where the image's AOT cache and CDS archive are recorded for the benchmarks. */
    Path imageArchives() {
        return work.resolve("image-jdk");
    }

    Path modules() {
        return work.resolve("modules");
    }

    Path nativeKernels() {
        return work.resolve("kernels-native");
    }

    Path v8Harness() {
        return repo.resolve("benchmarks/v8/kernels.mjs");
    }

    Path logs() {
        return work.resolve("logs");
    }

    PodSettings pod() {
        return PodSettings.fromManifest(repo.resolve("argo-plugin.yaml"));
    }

    /**
     * JVM flags that make the sidecar use the class-data sharing archive, and fail rather than
     * silently run without it.
     */
    List<String> cdsFlags() {
        if (!Files.isRegularFile(cdsArchive())) {
            throw new IllegalStateException(
                    cdsArchive() + " is missing; build the plugin with mvn package first");
        }
        return List.of("-XX:SharedArchiveFile=" + cdsArchive(), "-Xshare:on");
    }

    /** The full run's count, or at least one and a third of it for a quick run. */
    int repeat(int full) {
        return quick ? Math.max(1, full / 3) : full;
    }

    /** A command to run a main class of this module in a JVM of its own. */
    List<String> javaCommand(String mainClass, List<String> jvmFlags, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-Dbench.modules=" + modules());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return command;
    }
}
