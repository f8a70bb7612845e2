package io.argowasm.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sidecar start-up on the build's JDK with and without the class-data sharing archive, and on the
 * image's JDK with a CDS archive and with the AOT cache: the time from starting the process to the
 * first 200 from {@code /healthz}, the time the sidecar logs itself, the resident memory after it
 * has idled, and the latency of the first step it serves then (the bundled greet example, so no
 * fetch). Then the first step of a new workflow: a sidecar started for it, the time from starting
 * the process to the first {@code Succeeded} reply for a module it has never seen, fetched from
 * loopback (greet, and the large module). Runs take turns between the JVMs, so drift in the
 * machine's load hits all of them.
 */
final class StartupRun {

    /** The JVMs compared, in the order of the report's rows. */
    enum Variant {
        BUILD_JDK,
        BUILD_JDK_CDS,
        IMAGE_JDK_CDS,
        IMAGE_JDK_AOT
    }

    /** The modules of the new-workflow measurement. */
    static final List<String> NEW_WORKFLOW_MODULES = List.of("greet", "large");

    /**
     * The figures of one JVM, one sample per start.
     *
     * @param newWorkflowMillis per module: process start → first Succeeded reply, a module the
     *     process has never seen
     */
    record Figures(
            Samples readyMillis,
            Samples loggedMillis,
            Samples idleRssMiB,
            Samples firstStepMillis,
            Map<String, Samples> idleRssPartsMiB,
            Map<String, Samples> newWorkflowMillis) {}

    record Result(Map<Variant, SidecarJvm> jvms, Map<Variant, Figures> figures) {
        Figures of(Variant variant) {
            return figures.get(variant);
        }

        String label(Variant variant) {
            return jvms.get(variant).label();
        }
    }

    private static final Pattern LOGGED = Pattern.compile("ready on \\S+ in (\\d+) ms");
    // Idle once the JIT's compilations after start-up are done and the image's native heap trim
    // (every 2 s) has given back what they freed: with the AOT cache's profiles C2 compiles for
    // about 5 s after ready, and its arenas hold 25-45 MiB until then.
    static final Duration IDLE = Duration.ofSeconds(10);
    // Never fetched: the digest pins the greet example the plugin bundles.
    private static final URI BUNDLED_GREET = URI.create("https://modules.invalid/greet.wasm");

    private final BenchSetup setup;

    StartupRun(BenchSetup setup) {
        this.setup = setup;
    }

    /**
     * The start-up section alone, its medians printed: for measuring one change to start-up without
     * the whole of run.sh (which builds the modules this reads; run it once first).
     *
     * <pre>
     * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
     *     io.argowasm.bench.StartupRun --repo . --work benchmarks/target/run \
     *     --image-jdk /usr/lib/jvm/temurin-25-jdk-amd64 [--quick]
     * </pre>
     */
    public static void main(String[] args) throws Exception {
        BenchSetup setup =
                BenchSetup.fromArgs(
                        args, "StartupRun --repo DIR --work DIR --image-jdk DIR [--quick]");
        Result result = new StartupRun(setup).run(UUID.randomUUID().toString().substring(0, 8));
        System.out.printf(
                "%-24s %9s %9s %9s %9s %11s %11s%n",
                "JVM", "ready ms", "logged", "idle MiB", "1st step", "new greet", "new large");
        for (Variant variant : result.jvms().keySet()) {
            Figures f = result.of(variant);
            System.out.printf(
                    "%-24s %9.0f %9.0f %9.1f %9.1f %11.0f %11.0f%n",
                    result.label(variant),
                    f.readyMillis().median(),
                    f.loggedMillis().median(),
                    f.idleRssMiB().median(),
                    f.firstStepMillis().median(),
                    f.newWorkflowMillis().get("greet").median(),
                    f.newWorkflowMillis().get("large").median());
        }
    }

    Result run(String salt) throws Exception {
        Map<Variant, SidecarJvm> jvms = new EnumMap<>(Variant.class);
        jvms.put(Variant.BUILD_JDK, SidecarJvm.buildJdk());
        jvms.put(Variant.BUILD_JDK_CDS, SidecarJvm.buildJdkWithCds(setup));
        jvms.put(Variant.IMAGE_JDK_CDS, SidecarJvm.imageJdkWithCds(setup));
        jvms.put(Variant.IMAGE_JDK_AOT, SidecarJvm.imageJdkWithAotCache(setup));
        int starts = setup.repeat(7);
        int largeStarts = setup.repeat(3);
        Map<Variant, List<double[]>> idle = new EnumMap<>(Variant.class);
        Map<Variant, Map<String, List<Double>>> newWorkflow = new EnumMap<>(Variant.class);
        try (ModuleServer modules = ModuleServer.start()) {
            for (int i = 0; i < starts; i++) {
                for (Map.Entry<Variant, SidecarJvm> jvm : jvms.entrySet()) {
                    String name = jvm.getKey().name().toLowerCase(Locale.ROOT);
                    idle.computeIfAbsent(jvm.getKey(), v -> new ArrayList<>())
                            .add(idleStart(jvm.getValue(), "startup-%s-%d".formatted(name, i)));
                    for (String module : NEW_WORKFLOW_MODULES) {
                        if (module.equals("large") && i >= largeStarts) {
                            continue;
                        }
                        double millis =
                                newWorkflow(
                                        jvm.getValue(),
                                        modules,
                                        module,
                                        "%s-%s-%s-%d".formatted(salt, module, name, i));
                        newWorkflow
                                .computeIfAbsent(jvm.getKey(), v -> new LinkedHashMap<>())
                                .computeIfAbsent(module, m -> new ArrayList<>())
                                .add(millis);
                    }
                }
            }
        }
        Map<Variant, Figures> figures = new EnumMap<>(Variant.class);
        for (Variant variant : jvms.keySet()) {
            Map<String, Samples> firstSteps = new LinkedHashMap<>();
            newWorkflow.get(variant).forEach((module, m) -> firstSteps.put(module, Samples.of(m)));
            figures.put(variant, figures(idle.get(variant), firstSteps));
        }
        return new Result(jvms, figures);
    }

    private double[] idleStart(SidecarJvm jvm, String name) throws Exception {
        byte[] greet = BenchModules.bytes("greet");
        try (Sidecar sidecar = start(jvm, name)) {
            double ready = sidecar.awaitReady(Duration.ofSeconds(60)).toNanos() / 1e6;
            Thread.sleep(IDLE.toMillis());
            double rss = sidecar.rssMiB();
            Map<String, Double> parts = sidecar.rssPartsMiB();
            byte[] request = StepRequests.execute(BUNDLED_GREET, greet, "greet");
            double firstStep;
            try (LoopbackConnection connection = sidecar.connect()) {
                long before = System.nanoTime();
                LoopbackConnection.Reply reply = connection.exchange(request);
                firstStep = (System.nanoTime() - before) / 1e6;
                if (reply.status() != 200 || !reply.text().contains("Succeeded")) {
                    throw new IllegalStateException("the first step failed: " + reply.text());
                }
            }
            Matcher logged = LOGGED.matcher(sidecar.log());
            if (!logged.find()) {
                throw new IllegalStateException("the sidecar did not log that it was ready");
            }
            double[] figures = new double[4 + Sidecar.RSS_PARTS.size()];
            figures[0] = ready;
            figures[1] = Double.parseDouble(logged.group(1));
            figures[2] = rss;
            figures[3] = firstStep;
            for (int i = 0; i < Sidecar.RSS_PARTS.size(); i++) {
                figures[4 + i] = parts.get(Sidecar.RSS_PARTS.get(i));
            }
            return figures;
        }
    }

    /**
     * A sidecar started for a new workflow: from starting the process, {@code /healthz} polled
     * until it answers (as the agent waits for its sidecar), then the step, asked again while the
     * sidecar answers that it is still running (as Argo does), until it succeeds.
     */
    private double newWorkflow(SidecarJvm jvm, ModuleServer modules, String module, String nonce)
            throws Exception {
        byte[] variant = Modules.withNonce(BenchModules.bytes(module), nonce);
        URI url = modules.serve(nonce + ".wasm", variant);
        byte[] request = StepRequests.execute(url, variant, module);
        try (Sidecar sidecar = start(jvm, "new-workflow-" + nonce)) {
            sidecar.awaitReady(Duration.ofSeconds(60));
            try (LoopbackConnection connection = sidecar.connect()) {
                while (true) {
                    LoopbackConnection.Reply reply = connection.exchange(request);
                    if (reply.status() == 200 && reply.text().contains("\"Succeeded\"")) {
                        return sidecar.sinceStart().toNanos() / 1e6;
                    }
                    if (reply.status() != 200 || !reply.text().contains("\"Running\"")) {
                        throw new IllegalStateException(
                                "the first step of %s on %s failed: %s"
                                        .formatted(module, jvm.label(), reply.text()));
                    }
                }
            }
        }
    }

    private Sidecar start(SidecarJvm jvm, String name) throws Exception {
        return Sidecar.start(
                jvm.javaHome(),
                setup.jar(),
                setup.pod(),
                jvm.flags(),
                List.of(),
                setup.logs().resolve(name + ".log"));
    }

    private static Figures figures(List<double[]> runs, Map<String, Samples> newWorkflow) {
        Map<String, Samples> parts = new LinkedHashMap<>();
        for (int i = 0; i < Sidecar.RSS_PARTS.size(); i++) {
            parts.put(Sidecar.RSS_PARTS.get(i), column(runs, 4 + i));
        }
        return new Figures(
                column(runs, 0),
                column(runs, 1),
                column(runs, 2),
                column(runs, 3),
                parts,
                newWorkflow);
    }

    private static Samples column(List<double[]> runs, int index) {
        return Samples.of(runs.stream().mapToDouble(r -> r[index]).toArray());
    }
}
