package io.argowasm.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The in-process cost of one invocation: {@link InvocationBenchmark} in JMH. */
final class InvocationRun {

    private final BenchSetup setup;

    InvocationRun(BenchSetup setup) {
        this.setup = setup;
    }

    /** Microseconds per invocation, per benchmark method and module. */
    Map<String, Samples> run() throws Exception {
        return Jmh.run(
                new OptionsBuilder()
                        .include(InvocationBenchmark.class.getName())
                        .forks(1)
                        .warmupIterations(setup.repeat(5))
                        .warmupTime(TimeValue.seconds(1))
                        .measurementIterations(setup.repeat(5))
                        .measurementTime(TimeValue.seconds(1))
                        .timeUnit(TimeUnit.MICROSECONDS)
                        .jvmArgsAppend("-Dbench.modules=" + setup.modules(), "-XX:+UseSerialGC"));
    }
}
