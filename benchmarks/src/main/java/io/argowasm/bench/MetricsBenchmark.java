package io.argowasm.bench;

import io.argowasm.metrics.PluginMetrics;
import io.argowasm.metrics.PluginMetrics.Phase;
import io.argowasm.metrics.PluginMetrics.Reason;
import io.argowasm.metrics.PluginMetrics.RequestResult;
import io.argowasm.metrics.PluginMetrics.Stage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the metrics of one warm step cost the thread that runs it: the calls a step without
 * artifacts makes (its request, its instantiate and call stages, the guest's memory, its end),
 * recording and with {@code --no-metrics}. In-process, so a loaded machine disturbs it far less
 * than an HTTP measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsBenchmark {

    @Param({"recording", "nothing"})
    public String metrics;

    private PluginMetrics recorder;

    @Setup
    public void create() {
        recorder =
                metrics.equals("recording")
                        ? new PluginMetrics("bench", "bench")
                        : PluginMetrics.recordingNothing("bench", "bench");
    }

    @Benchmark
    public PluginMetrics oneStep() {
        recorder.request(RequestResult.EXECUTED);
        recorder.moduleCache(true);
        recorder.stage(Stage.INSTANTIATE, 45_000);
        recorder.stage(Stage.CALL, 120_000);
        recorder.guestMemory(1L << 20);
        recorder.stepFinished(Phase.SUCCEEDED, Reason.OK, 400_000);
        recorder.guestLinesDropped(0);
        return recorder;
    }
}
