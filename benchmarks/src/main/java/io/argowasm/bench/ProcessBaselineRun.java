package io.argowasm.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The process-per-step baseline: a native program started for each step, fed the step's payload on
 * stdin and answering it on stdout (what the echo guest does), timed from spawn to exit by the
 * native harness itself with posix_spawn, the cheapest way to start a process.
 */
final class ProcessBaselineRun {

    private final BenchSetup setup;

    ProcessBaselineRun(BenchSetup setup) {
        this.setup = setup;
    }

    /** Microseconds per step. */
    Samples run() throws Exception {
        JsonNode out =
                Commands.json(
                        List.of(
                                setup.nativeKernels().toString(),
                                "spawn",
                                Integer.toString(setup.repeat(300))),
                        Map.of());
        List<Double> micros = new ArrayList<>();
        out.path("micros").forEach(v -> micros.add(v.asDouble()));
        return Samples.of(micros);
    }
}
