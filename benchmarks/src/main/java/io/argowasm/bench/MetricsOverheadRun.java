package io.argowasm.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What recording metrics costs a warm sidecar: two sidecars from the same jar, one with {@code
 * --no-metrics}, each alive throughout, take turns under the same load (the order flips every
 * round), so the machine's other work falls on both alike. Per round: p50 and p99 at one client and
 * steps per second at 16, calling the echo guest. Optionally also start→ready of this jar against
 * an older one, alternating, with tracing off (no {@code OTEL_*} variables).
 *
 * <p>Arguments: the repository root, a work directory, the rounds, optionally an older jar and the
 * starts per jar. {@code benchmarks/metrics-overhead.sh} runs it.
 */
public final class MetricsOverheadRun {

    private static final Duration ROUND = Duration.ofSeconds(4);

    private record Round(double p50Micros, double p99Micros, double perSecond) {}

    private MetricsOverheadRun() {}

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]).toAbsolutePath().normalize();
        Path work = Path.of(args[1]).toAbsolutePath().normalize();
        int rounds = Integer.parseInt(args[2]);
        Path jar = repo.resolve("plugin-server/target/wasm-executor-plugin.jar");
        PodSettings pod = PodSettings.fromManifest(repo.resolve("argo-plugin.yaml"));
        System.out.printf("load before the run: %.2f%n", Machine.loadNow());
        List<Round> on = new ArrayList<>();
        List<Round> off = new ArrayList<>();
        try (ModuleServer modules = ModuleServer.start();
                Sidecar recording =
                        Sidecar.start(jar, pod, List.of(), List.of(), work.resolve("on.log"));
                Sidecar silent =
                        Sidecar.start(
                                jar,
                                pod,
                                List.of(),
                                List.of("--no-metrics"),
                                work.resolve("off.log"))) {
            recording.awaitReady(Duration.ofSeconds(60));
            silent.awaitReady(Duration.ofSeconds(60));
            byte[] echo = BenchModules.bytes("echo");
            byte[] request = StepRequests.execute(modules.serve("echo.wasm", echo), echo, "echo");
            LoadGenerator loadOn = new LoadGenerator(recording.port(), request, "\"Succeeded\"");
            LoadGenerator loadOff = new LoadGenerator(silent.port(), request, "\"Succeeded\"");
            for (int i = 0; i < 2; i++) {
                loadOn.run(16, Duration.ofSeconds(5));
                loadOff.run(16, Duration.ofSeconds(5));
            }
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    on.add(round(loadOn));
                    off.add(round(loadOff));
                } else {
                    off.add(round(loadOff));
                    on.add(round(loadOn));
                }
                System.out.printf("round %d: on %s, off %s%n", r + 1, on.get(r), off.get(r));
            }
        }
        report(on, off);
        if (args.length > 3) {
            startups(jar, Path.of(args[3]), pod, work, Integer.parseInt(args[4]));
        }
        System.out.printf("load after the run: %.2f%n", Machine.loadNow());
    }

    private static Round round(LoadGenerator load) throws Exception {
        LoadGenerator.Result single = load.run(1, ROUND);
        LoadGenerator.Result many = load.run(16, ROUND);
        if (single.failed() + many.failed() > 0) {
            throw new IllegalStateException("steps failed during the round");
        }
        return new Round(
                single.latencyMicros().median(),
                single.latencyMicros().percentile(99),
                many.perSecond());
    }

    private static void report(List<Round> on, List<Round> off) {
        Samples p50On = Samples.of(on.stream().mapToDouble(Round::p50Micros).toArray());
        Samples p50Off = Samples.of(off.stream().mapToDouble(Round::p50Micros).toArray());
        Samples p99On = Samples.of(on.stream().mapToDouble(Round::p99Micros).toArray());
        Samples p99Off = Samples.of(off.stream().mapToDouble(Round::p99Micros).toArray());
        Samples rateOn = Samples.of(on.stream().mapToDouble(Round::perSecond).toArray());
        Samples rateOff = Samples.of(off.stream().mapToDouble(Round::perSecond).toArray());
        double[] p50Diff = new double[on.size()];
        double[] rateRatio = new double[on.size()];
        for (int i = 0; i < on.size(); i++) {
            p50Diff[i] = on.get(i).p50Micros() - off.get(i).p50Micros();
            rateRatio[i] = on.get(i).perSecond() / off.get(i).perSecond() - 1;
        }
        System.out.println();
        System.out.println(
                "| medians of %d rounds | metrics on | --no-metrics | on - off |"
                        .formatted(on.size()));
        System.out.println("|---|---|---|---|");
        System.out.printf(
                "| p50, 1 client | %.0f µs | %.0f µs | %+.1f µs (median of paired rounds %+.1f µs)"
                        + " |%n",
                p50On.median(),
                p50Off.median(),
                p50On.median() - p50Off.median(),
                Samples.of(p50Diff).median());
        System.out.printf(
                "| p99, 1 client | %.0f µs | %.0f µs | %+.0f µs |%n",
                p99On.median(), p99Off.median(), p99On.median() - p99Off.median());
        System.out.printf(
                "| steps/s, 16 clients | %.0f | %.0f | %+.1f %% (median of paired rounds %+.1f %%)"
                        + " |%n",
                rateOn.median(),
                rateOff.median(),
                100 * (rateOn.median() / rateOff.median() - 1),
                100 * Samples.of(rateRatio).median());
    }

    /** Start→ready of two jars, alternating; tracing is off in both. */
    private static void startups(Path jar, Path older, PodSettings pod, Path work, int starts)
            throws Exception {
        List<Double> current = new ArrayList<>();
        List<Double> before = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            before.add(ready(older, pod, work.resolve("start-older-" + i + ".log")));
            current.add(ready(jar, pod, work.resolve("start-current-" + i + ".log")));
        }
        Samples a = Samples.of(before);
        Samples b = Samples.of(current);
        System.out.println();
        System.out.printf(
                "| start→ready, %d starts each, no CDS archive | median | min | max |%n", starts);
        System.out.println("|---|---|---|---|");
        System.out.printf(
                "| %s | %.0f ms | %.0f ms | %.0f ms |%n",
                older.getFileName(), a.median(), a.min(), a.max());
        System.out.printf(
                "| this jar | %.0f ms | %.0f ms | %.0f ms |%n", b.median(), b.min(), b.max());
    }

    private static double ready(Path jar, PodSettings pod, Path log) throws Exception {
        try (Sidecar sidecar = Sidecar.start(jar, pod, List.of(), List.of(), log)) {
            return sidecar.awaitReady(Duration.ofSeconds(60)).toNanos() / 1e6;
        }
    }
}
