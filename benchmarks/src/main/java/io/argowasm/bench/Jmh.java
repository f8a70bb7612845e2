package io.argowasm.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs JMH benchmarks in forked JVMs and keeps every measured iteration's score. */
final class Jmh {

    private Jmh() {}

    /**
     * @return per benchmark method and parameter values in the order of their names (e.g. {@code
     *     "run engine=compiler kernel=sha256"}), the scores of the measured iterations
     */
    static Map<String, Samples> run(ChainedOptionsBuilder options) throws Exception {
        Collection<RunResult> results =
                new Runner(options.verbosity(VerboseMode.SILENT).build()).run();
        Map<String, Samples> scores = new LinkedHashMap<>();
        for (RunResult result : results) {
            List<Double> iterations = new ArrayList<>();
            result.getBenchmarkResults()
                    .forEach(
                            b ->
                                    b.getIterationResults().stream()
                                            .map(IterationResult::getPrimaryResult)
                                            .forEach(r -> iterations.add(r.getScore())));
            scores.put(key(result.getParams()), Samples.of(iterations));
        }
        return scores;
    }

    private static String key(BenchmarkParams params) {
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        StringBuilder key = new StringBuilder(method);
        for (String name : new java.util.TreeSet<>(params.getParamsKeys())) {
            key.append(' ').append(name).append('=').append(params.getParam(name));
        }
        return key.toString();
    }
}
