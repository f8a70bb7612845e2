package io.argowasm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sidecar's resident memory under candidate JVM settings: idle after start-up and after a
 * 32-client warm run, each candidate started several times in turn so drift in the machine's load
 * hits all of them. Resident memory, unlike latency, does not depend on how busy the machine is,
 * which is why this run compares settings by it; the p50 of the same load is only a sanity check.
 * Writes {@code docs/performance/memory.md}, which the report keeps as its "Memory" section.
 *
 * <pre>
 *   MemoryRun --repo DIR --work DIR --image-jdk DIR [--starts N] [--seconds S]
 * </pre>
 */
public final class MemoryRun {

    /**
     * JVM options added to the manifest's {@code JAVA_TOOL_OPTIONS}; later options win. On the
     * build's JDK with the CDS archive, or on the image's JDK with an AOT cache recorded with the
     * same options (as the image would record it).
     */
    record Candidate(String name, String options, boolean imageJdk) {
        Candidate(String name, String options) {
            this(name, options, false);
        }

        SidecarJvm jvm(BenchSetup setup) throws Exception {
            return imageJdk
                    ? SidecarJvm.imageJdkWithAotCache(
                            setup, options.isBlank() ? List.of() : List.of(options.split(" ")))
                    : SidecarJvm.buildJdkWithCds(setup);
        }

        /** The options for JAVA_TOOL_OPTIONS: the image's JDK gets them on its command line. */
        String toolOptions() {
            return imageJdk ? "" : options;
        }
    }

    private record Figures(
            Samples idleRss,
            Samples loadedRss,
            Samples settledRss,
            Samples p50Micros,
            long failed) {}

    static final List<Candidate> CANDIDATES =
            List.of(
                    new Candidate("the manifest", ""),
                    // The JVM's defaults, which the manifest had before it set these.
                    new Candidate(
                            "without heap shrinking",
                            "-XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70"),
                    new Candidate("young gen 16m", "-Xmn16m"),
                    new Candidate("C1 only (no C2)", "-Xmn16m -XX:TieredStopAtLevel=1"),
                    new Candidate(
                            "G1, periodic collection",
                            "-XX:-UseSerialGC -XX:+UseG1GC -XX:G1PeriodicGCInterval=5000"),
                    new Candidate("JDK 25 + AOT cache", "", true),
                    new Candidate(
                            "JDK 25 + AOT cache, compact object headers",
                            "-XX:+UseCompactObjectHeaders",
                            true),
                    new Candidate(
                            "JDK 25 + AOT cache, compact headers, smaller stacks and code cache",
                            "-XX:+UseCompactObjectHeaders -Xss512k -XX:ReservedCodeCacheSize=64m",
                            true),
                    new Candidate(
                            "JDK 25 + AOT cache, C1 only (no C2)",
                            "-XX:TieredStopAtLevel=1",
                            true));

    private static final Duration IDLE = StartupRun.IDLE;
    // Long enough for a periodic collection to run once the load stops.
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private static final String USAGE =
            "MemoryRun --repo DIR --work DIR --image-jdk DIR [--starts N] [--seconds S]";

    private MemoryRun() {}

    public static void main(String[] args) throws Exception {
        Path repo = null;
        Path work = null;
        int starts = 3;
        int seconds = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--work" -> work = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--starts" -> starts = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--image-jdk" -> System.setProperty("bench.imageJdk", args[++i]);
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument %s; usage: %s".formatted(args[i], USAGE));
            }
        }
        if (repo == null || work == null) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        BenchSetup setup = new BenchSetup(repo, work, false);
        Files.createDirectories(setup.logs());
        Duration load = Duration.ofSeconds(seconds);
        List<List<double[]>> runs = new ArrayList<>();
        CANDIDATES.forEach(c -> runs.add(new ArrayList<>()));
        Machine machine = Machine.describe();
        Samples loadDuring;
        double loadBefore;
        try (LoadMonitor monitor = new LoadMonitor();
                ModuleServer modules = ModuleServer.start()) {
            loadBefore = monitor.before();
            // The trivial guest run.sh copies into its module directory, read from where it lives.
            byte[] echo =
                    Files.readAllBytes(repo.resolve("executor/src/test/resources/wasm/echo.wasm"));
            byte[] request = StepRequests.execute(modules.serve("echo.wasm", echo), echo, "echo");
            for (int s = 0; s < starts; s++) {
                for (int c = 0; c < CANDIDATES.size(); c++) {
                    Candidate candidate = CANDIDATES.get(c);
                    double[] figures =
                            measure(
                                    setup,
                                    candidate,
                                    request,
                                    load,
                                    "memory-%d-%d".formatted(c, s));
                    runs.get(c).add(figures);
                    System.err.printf(
                            Locale.ROOT,
                            "[memory] %s, start %d: idle %.1f MiB, after load %.1f MiB, 10 s later"
                                    + " %.1f MiB, p50 %.0f µs, %d failed%n",
                            candidate.name(),
                            s + 1,
                            figures[0],
                            figures[1],
                            figures[4],
                            figures[2],
                            (long) figures[3]);
                }
            }
            loadDuring = monitor.during();
        }
        List<Figures> figures = new ArrayList<>();
        for (List<double[]> candidateRuns : runs) {
            figures.add(
                    new Figures(
                            column(candidateRuns, 0),
                            column(candidateRuns, 1),
                            column(candidateRuns, 4),
                            column(candidateRuns, 2),
                            candidateRuns.stream().mapToLong(r -> (long) r[3]).sum()));
        }
        Path section =
                Files.createDirectories(repo.resolve("docs/performance")).resolve("memory.md");
        // The conclusions drawn from a run are written by hand under their own headings; a new
        // run replaces the measured part and keeps them for the reader to revisit.
        String conclusions = "";
        if (Files.isRegularFile(section)) {
            String old = Files.readString(section);
            int start = old.indexOf("\n### ");
            conclusions = start < 0 ? "" : old.substring(start + 1);
        }
        Files.writeString(
                section,
                report(setup, machine, starts, seconds, figures, loadBefore, loadDuring)
                        + conclusions);
        System.err.println("[memory] wrote " + section);
    }

    private static double[] measure(
            BenchSetup setup, Candidate candidate, byte[] request, Duration load, String name)
            throws Exception {
        PodSettings pod = setup.pod().withMoreOptions(candidate.toolOptions());
        SidecarJvm jvm = candidate.jvm(setup);
        try (Sidecar sidecar =
                Sidecar.start(
                        jvm.javaHome(),
                        setup.jar(),
                        pod,
                        jvm.flags(),
                        List.of(),
                        setup.logs().resolve(name + ".log"))) {
            sidecar.awaitReady(Duration.ofSeconds(60));
            Thread.sleep(IDLE.toMillis());
            double idle = sidecar.rssMiB();
            LoadGenerator.Result result =
                    new LoadGenerator(sidecar.port(), request, "\"Succeeded\"").run(32, load);
            double loaded = sidecar.rssMiB();
            Thread.sleep(SETTLE.toMillis());
            double settled = sidecar.rssMiB();
            return new double[] {
                idle, loaded, result.latencyMicros().median(), result.failed(), settled
            };
        }
    }

    private static Samples column(List<double[]> runs, int index) {
        return Samples.of(runs.stream().mapToDouble(r -> r[index]).toArray());
    }

    private static String report(
            BenchSetup setup,
            Machine machine,
            int starts,
            int seconds,
            List<Figures> figures,
            double loadBefore,
            Samples loadDuring)
            throws IOException {
        PodSettings pod = setup.pod();
        StringBuilder md = new StringBuilder();
        md.append("## Memory\n\n");
        md.append(
                """
                Measured apart from the harness, since it starts many sidecars: `benchmarks/memory.sh` \
                (`io.argowasm.bench.MemoryRun`, %d starts of each candidate, taking turns, %d s of load \
                each), on %s. Each sidecar runs as the manifest runs it (`JAVA_TOOL_OPTIONS` from \
                `argo-plugin.yaml` and its environment, `%s` for the %s limit, the CDS archive on the \
                build's JDK) with the candidate's options added; the *JDK 25* rows run on the image's JDK \
                with an AOT cache recorded with their options, as the image records its own, and the                 image entrypoint's `%s`; *idle*: resident memory (`VmRSS`) 10 s after `/healthz` first answers; *after \
                load*: right after 32 closed-loop clients called the echo guest for %d s, every call a new \
                step (so the sidecar keeps each finished invocation for Argo's retries, up to 4,096); \
                *10 s later*: after 10 s without requests, which is when a collector that gives memory \
                back has done so. \
                Medians of the starts; p50 is the latency of the same load, a sanity check only (the \
                clients share the cores with the sidecar; 1-minute load average %s before the run, %s to \
                %s during it, median %s, on %d cores).

                """
                        .formatted(
                                starts,
                                seconds,
                                machine.date(),
                                pod.maxRamFlag(),
                                pod.memoryLimit(),
                                String.join(" ", SidecarJvm.entrypointOptions(dockerfile(setup))),
                                seconds,
                                num(loadBefore),
                                num(loadDuring.min()),
                                num(loadDuring.max()),
                                num(loadDuring.median()),
                                machine.cores()));
        md.append("Options in the manifest for this run: `")
                .append(pod.javaToolOptions())
                .append("`.\n\n");
        md.append(
                "| candidate | options added | idle RSS | after load | 10 s later | p50 under load"
                        + " | failed |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (int c = 0; c < CANDIDATES.size(); c++) {
            Candidate candidate = CANDIDATES.get(c);
            Figures f = figures.get(c);
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %.1f MiB (%.1f–%.1f) | %.1f MiB (%.1f–%.1f) | %.1f MiB |"
                                    + " %.0f µs | %d |\n",
                            candidate.name(),
                            candidate.options().isEmpty()
                                    ? "none"
                                    : "`" + candidate.options() + "`",
                            f.idleRss().median(),
                            f.idleRss().min(),
                            f.idleRss().max(),
                            f.loadedRss().median(),
                            f.loadedRss().min(),
                            f.loadedRss().max(),
                            f.settledRss().median(),
                            f.p50Micros().median(),
                            f.failed()));
        }
        md.append("\n");
        return md.toString();
    }

    private static Path dockerfile(BenchSetup setup) {
        return setup.repo().resolve("Dockerfile");
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
