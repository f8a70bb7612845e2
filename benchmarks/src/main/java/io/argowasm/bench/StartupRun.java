package io.argowasm.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sidecar start-up with and without the class-data sharing archive: the time from starting the
 * process to the first 200 from {@code /healthz}, the time the sidecar logs itself, the resident
 * memory after it has idled, and the latency of the first step it serves (the bundled greet
 * example, so no fetch). Runs alternate between the two, so drift in the machine's load hits both.
 */
final class StartupRun {

    /** The figures of one configuration, one sample per start. */
    record Figures(
            Samples readyMillis,
            Samples loggedMillis,
            Samples idleRssMiB,
            Samples firstStepMillis,
            Map<String, Samples> idleRssPartsMiB) {}

    record Result(Figures withoutArchive, Figures withArchive) {}

    private static final Pattern LOGGED = Pattern.compile("ready on \\S+ in (\\d+) ms");
    private static final Duration IDLE = Duration.ofSeconds(2);
    // Never fetched: the digest pins the greet example the plugin bundles.
    private static final URI BUNDLED_GREET = URI.create("https://modules.invalid/greet.wasm");

    private final BenchSetup setup;

    StartupRun(BenchSetup setup) {
        this.setup = setup;
    }

    Result run() throws Exception {
        int starts = setup.repeat(7);
        List<double[]> plain = new ArrayList<>();
        List<double[]> archived = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            plain.add(start(List.of(), "startup-plain-" + i));
            archived.add(start(setup.cdsFlags(), "startup-cds-" + i));
        }
        return new Result(figures(plain), figures(archived));
    }

    private double[] start(List<String> jvmFlags, String name) throws Exception {
        byte[] greet = BenchModules.bytes("greet");
        try (Sidecar sidecar =
                Sidecar.start(
                        setup.jar(),
                        setup.pod(),
                        jvmFlags,
                        List.of(),
                        setup.logs().resolve(name + ".log"))) {
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

    private static Figures figures(List<double[]> runs) {
        Map<String, Samples> parts = new LinkedHashMap<>();
        for (int i = 0; i < Sidecar.RSS_PARTS.size(); i++) {
            parts.put(Sidecar.RSS_PARTS.get(i), column(runs, 4 + i));
        }
        return new Figures(
                column(runs, 0), column(runs, 1), column(runs, 2), column(runs, 3), parts);
    }

    private static Samples column(List<double[]> runs, int index) {
        return Samples.of(runs.stream().mapToDouble(r -> r[index]).toArray());
    }
}
