package io.argowasm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop HTTP load: each client sends one request, waits for its reply and sends the next, on
 * its own keep-alive connection, for a fixed time. Every reply is checked for HTTP 200 and a marker
 * text, so a fast failure never counts as a fast invocation.
 */
final class LoadGenerator {

    /** What one run measured: completed requests, failures, wall time and each latency. */
    record Result(long completed, long failed, Duration elapsed, Samples latencyMicros) {
        double perSecond() {
            return completed / (elapsed.toNanos() / 1e9);
        }
    }

    private final int port;
    private final byte[] request;
    private final byte[] marker;

    /**
     * @param marker text every good reply contains, e.g. {@code "Succeeded"}
     */
    LoadGenerator(int port, byte[] request, String marker) {
        this.port = port;
        this.request = request;
        this.marker = marker.getBytes(StandardCharsets.UTF_8);
    }

    Result run(int clients, Duration duration) throws Exception {
        CyclicBarrier start = new CyclicBarrier(clients + 1);
        AtomicLong failed = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long[] deadline = new long[1];
        for (int c = 0; c < clients; c++) {
            long[] mine = new long[1 << 18];
            int[] count = new int[1];
            latencies.add(mine);
            counts.add(count);
            LoopbackConnection connection = new LoopbackConnection(port);
            Thread thread =
                    new Thread(
                            () -> {
                                try (connection) {
                                    start.await();
                                    long end = deadline[0];
                                    while (true) {
                                        long before = System.nanoTime();
                                        if (before >= end) {
                                            return;
                                        }
                                        LoopbackConnection.Reply reply =
                                                connection.exchange(request);
                                        long after = System.nanoTime();
                                        if (reply.status() != 200 || !contains(reply.body())) {
                                            failed.incrementAndGet();
                                        } else if (count[0] < mine.length) {
                                            mine[count[0]++] = after - before;
                                        }
                                    }
                                } catch (Exception e) {
                                    failed.incrementAndGet();
                                }
                            },
                            "load-" + c);
            threads.add(thread);
            thread.start();
        }
        long began = System.nanoTime();
        deadline[0] = began + duration.toNanos();
        start.await();
        for (Thread thread : threads) {
            thread.join();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - began);
        List<Double> micros = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] mine = latencies.get(c);
            for (int i = 0; i < counts.get(c)[0]; i++) {
                micros.add(mine[i] / 1e3);
            }
        }
        if (micros.isEmpty()) {
            throw new IOException(
                    "no request succeeded in " + duration + " (" + failed.get() + " failed)");
        }
        return new Result(micros.size(), failed.get(), elapsed, Samples.of(micros));
    }

    private boolean contains(byte[] body) {
        outer:
        for (int i = 0; i + marker.length <= body.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (body[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
