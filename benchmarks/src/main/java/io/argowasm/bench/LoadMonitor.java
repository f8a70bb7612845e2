package io.argowasm.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples the machine's one-minute load average while the benchmarks run, so the report can say how
 * busy the machine was; the benchmarks themselves are part of that load.
 */
final class LoadMonitor implements AutoCloseable {

    private final List<Double> samples = new ArrayList<>();
    private final double before;
    private final Thread thread;

    LoadMonitor() throws IOException {
        before = Machine.loadNow();
        thread =
                new Thread(
                        () -> {
                            try {
                                while (true) {
                                    double load = Machine.loadNow();
                                    synchronized (samples) {
                                        samples.add(load);
                                    }
                                    Thread.sleep(5000);
                                }
                            } catch (InterruptedException | IOException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "load-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    /** The load before the run started. */
    double before() {
        return before;
    }

    /** The loads sampled during the run. */
    Samples during() {
        synchronized (samples) {
            return Samples.of(samples);
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
