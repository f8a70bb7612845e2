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
 * text, so a fast failure never counts as a fast invocation. Every request carries a workflow uid
 * of its own ({@link StepRequests#UID}, rewritten in place), so the sidecar runs each one instead
 * of answering from the results it keeps for Argo's retries of the same step.
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
    private final int uidDigits;
    private long runs;

    /**
     * @param marker text every good reply contains, e.g. {@code "Succeeded"}
     */
    LoadGenerator(int port, byte[] request, String marker) {
        this.port = port;
        this.request = request;
        this.marker = marker.getBytes(StandardCharsets.UTF_8);
        this.uidDigits = indexOf(request, StepRequests.UID.getBytes(StandardCharsets.US_ASCII));
        if (uidDigits < 0) {
            throw new IllegalArgumentException("the request has no workflow uid to vary");
        }
    }

    Result run(int clients, Duration duration) throws Exception {
        long run = ++runs;
        CyclicBarrier start = new CyclicBarrier(clients + 1);
        AtomicLong failed = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long[] deadline = new long[1];
        for (int c = 0; c < clients; c++) {
            int client = c;
            long[] times = new long[1 << 18];
            int[] count = new int[1];
            latencies.add(times);
            counts.add(count);
            LoopbackConnection connection = new LoopbackConnection(port);
            Thread thread =
                    new Thread(
                            () -> {
                                byte[] mine = request.clone();
                                long sequence = 0;
                                try (connection) {
                                    start.await();
                                    long end = deadline[0];
                                    while (true) {
                                        long before = System.nanoTime();
                                        if (before >= end) {
                                            return;
                                        }
                                        stamp(mine, run, client, sequence++);
                                        LoopbackConnection.Reply reply = connection.exchange(mine);
                                        long after = System.nanoTime();
                                        if (reply.status() != 200 || !contains(reply.body())) {
                                            failed.incrementAndGet();
                                        } else if (count[0] < times.length) {
                                            times[count[0]++] = after - before;
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

    /** Writes run, client and sequence number as the uid's last 12 hex digits. */
    private void stamp(byte[] request, long run, int client, long sequence) {
        long unique = run << 40 | (long) client << 32 | sequence;
        int end = uidDigits + StepRequests.UID.length();
        for (int i = 1; i <= 12; i++) {
            request[end - i] = (byte) Character.forDigit((int) (unique >>> (4 * (i - 1))) & 15, 16);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private boolean contains(byte[] body) {
        return indexOf(body, marker) >= 0;
    }
}
