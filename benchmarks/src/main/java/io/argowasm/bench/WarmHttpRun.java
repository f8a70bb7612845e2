package io.argowasm.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A warm sidecar over HTTP: latency at one client and throughput at 16 and 32, calling the trivial
 * echo guest.
 */
final class WarmHttpRun {

    /** Rounds at one concurrency. */
    record Load(int clients, List<LoadGenerator.Result> rounds) {
        double medianPerSecond() {
            return Samples.of(
                            rounds.stream().mapToDouble(LoadGenerator.Result::perSecond).toArray())
                    .median();
        }

        double medianP50Micros() {
            return Samples.of(
                            rounds.stream().mapToDouble(r -> r.latencyMicros().median()).toArray())
                    .median();
        }

        double medianP99Micros() {
            return Samples.of(
                            rounds.stream()
                                    .mapToDouble(r -> r.latencyMicros().percentile(99))
                                    .toArray())
                    .median();
        }

        long failed() {
            return rounds.stream().mapToLong(LoadGenerator.Result::failed).sum();
        }
    }

    record Result(List<Load> loads, double rssAfterLoadMiB) {}

    private final BenchSetup setup;

    WarmHttpRun(BenchSetup setup) {
        this.setup = setup;
    }

    Result run() throws Exception {
        Duration warmUp = Duration.ofSeconds(setup.quick() ? 3 : 10);
        Duration round = Duration.ofSeconds(setup.quick() ? 2 : 5);
        int rounds = setup.repeat(3);
        try (ModuleServer modules = ModuleServer.start();
                Sidecar sidecar =
                        Sidecar.start(
                                setup.jar(),
                                setup.pod(),
                                setup.cdsFlags(),
                                List.of(),
                                setup.logs().resolve("warm-http.log"))) {
            sidecar.awaitReady(Duration.ofSeconds(60));
            byte[] echo = BenchModules.bytes("echo");
            byte[] request = StepRequests.execute(modules.serve("echo.wasm", echo), echo, "echo");
            LoadGenerator load = new LoadGenerator(sidecar.port(), request, "\"Succeeded\"");
            load.run(32, warmUp);
            List<Load> loads = new ArrayList<>();
            for (int clients : new int[] {1, 16, 32}) {
                List<LoadGenerator.Result> results = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    results.add(load.run(clients, round));
                }
                loads.add(new Load(clients, results));
            }
            return new Result(loads, sidecar.rssMiB());
        }
    }

    /** Sends one step and returns its latency in ms; fails unless the step succeeded. */
    static double timedStep(LoopbackConnection connection, byte[] request) throws Exception {
        long before = System.nanoTime();
        LoopbackConnection.Reply reply = connection.exchange(request);
        double millis = (System.nanoTime() - before) / 1e6;
        if (reply.status() != 200 || !reply.text().contains("\"Succeeded\"")) {
            throw new IllegalStateException("the step failed: " + reply.text());
        }
        return millis;
    }
}
