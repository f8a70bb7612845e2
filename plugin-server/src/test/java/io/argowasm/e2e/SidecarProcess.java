package io.argowasm.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar as Argo runs it: {@code io.argowasm.cli.Main serve} in a JVM of its own, on the test
 * classpath, with its output in a log file.
 */
final class SidecarProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private final java.util.concurrent.atomic.AtomicLong peakAnonKiB =
            new java.util.concurrent.atomic.AtomicLong();

    private SidecarProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        Thread sampler = new Thread(this::sampleAnon, "anon-memory-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * Starts {@code java <jvmOptions> -cp <test classpath> io.argowasm.cli.Main serve --host
     * 127.0.0.1 --port <free port> <serveOptions>} and waits until {@code /healthz} answers.
     *
     * @param environment added to this JVM's environment
     * @param log where the sidecar's output goes
     */
    static SidecarProcess start(
            List<String> jvmOptions,
            List<String> serveOptions,
            Map<String, String> environment,
            Path log)
            throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(testClasspath());
        command.add("io.argowasm.cli.Main");
        command.add("serve");
        command.add("--host");
        command.add("127.0.0.1");
        command.add("--port");
        command.add(Integer.toString(port));
        command.addAll(serveOptions);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        SidecarProcess sidecar = new SidecarProcess(builder.start(), port, log);
        sidecar.awaitReady(Duration.ofMinutes(1));
        return sidecar;
    }

    int port() {
        return port;
    }

    /** Whether the JVM is still running. */
    boolean alive() {
        return process.isAlive();
    }

    /** The JVM's exit code; only once it is no longer {@link #alive()}. */
    int exitValue() {
        return process.exitValue();
    }

    /** Ends the JVM at once (SIGKILL), as the kernel's OOM killer would. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The file the sidecar's output goes to. */
    Path log() {
        return log;
    }

    /** How many bytes the sidecar has written to its log so far. */
    long logSize() throws IOException {
        return Files.size(log);
    }

    /**
     * The process's peak resident set size in bytes ({@code VmHWM}), or -1 when the system does not
     * say.
     */
    long peakRssBytes() throws IOException {
        String peak = peakRss();
        if (!peak.endsWith(" kB")) {
            return -1;
        }
        return Long.parseLong(peak.substring(0, peak.length() - " kB".length())) * 1024;
    }

    /**
     * What the JVM says its native memory is used for ({@code jcmd VM.native_memory summary}); the
     * sidecar must have been started with {@code -XX:NativeMemoryTracking=summary}.
     */
    String nativeMemorySummary() throws IOException, InterruptedException {
        Process jcmd =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                                Long.toString(process.pid()),
                                "VM.native_memory",
                                "summary")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** The process's resident set size now in KiB ({@code VmRSS}), or -1 when unknown. */
    long rssKiB() throws IOException {
        return statusKiB("VmRSS:");
    }

    /**
     * The process's anonymous resident memory now in KiB ({@code RssAnon}), or -1 when unknown:
     * what a container's memory limit cannot reclaim, unlike the pages of mapped files that {@code
     * VmRSS} also counts.
     */
    long anonKiB() throws IOException {
        return statusKiB("RssAnon:");
    }

    /** The highest {@link #anonKiB()} seen since {@link #resetPeakAnon()}, sampled every 20 ms. */
    long peakAnonBytes() {
        return peakAnonKiB.get() * 1024;
    }

    void resetPeakAnon() {
        peakAnonKiB.set(0);
    }

    private void sampleAnon() {
        while (process.isAlive()) {
            try {
                peakAnonKiB.accumulateAndGet(anonKiB(), Math::max);
                Thread.sleep(20);
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private long statusKiB(String field) throws IOException {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        if (!Files.exists(status)) {
            return -1;
        }
        try {
            return Files.readAllLines(status).stream()
                    .filter(line -> line.startsWith(field))
                    .map(line -> line.replaceAll("[^0-9]", ""))
                    .mapToLong(Long::parseLong)
                    .findFirst()
                    .orElse(-1);
        } catch (java.nio.file.NoSuchFileException e) {
            return -1;
        }
    }

    /** The process's peak resident set size ({@code VmHWM} in {@code /proc/<pid>/status}). */
    String peakRss() throws IOException {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        if (!Files.exists(status)) {
            return "unknown (no " + status + ")";
        }
        return Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("VmHWM:"))
                .map(line -> line.substring("VmHWM:".length()).trim())
                .findFirst()
                .orElse("unknown");
    }

    /**
     * Whether a line the sidecar wrote after the first {@code from} bytes of its log holds text.
     */
    boolean logContains(long from, String text) throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(Math.min(from, Files.size(log)));
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    .anyMatch(line -> line.contains(text));
        }
    }

    /** The last lines the sidecar wrote, for a failure message. */
    String logTail() throws IOException {
        return logTail(40);
    }

    /**
     * The last {@code count} lines the sidecar wrote, each cut at 300 characters, read from at most
     * the last MiB of the log so that a flooded log does not flood the message too.
     */
    String logTail(int count) throws IOException {
        byte[] tail;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, file.length() - (1 << 20));
            tail = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(tail);
        }
        List<String> lines =
                new String(tail, StandardCharsets.UTF_8)
                        .lines()
                        .map(line -> line.length() > 300 ? line.substring(0, 300) + "..." : line)
                        .toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private void awaitReady(Duration patience) throws Exception {
        AgentClient probe = new AgentClient(port, null);
        long deadline = System.nanoTime() + patience.toNanos();
        while (!probe.answers()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the sidecar exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException(
                        "the sidecar did not answer /healthz within "
                                + patience
                                + ":\n"
                                + logTail());
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM, as Kubernetes stops a pod; killed if it has not exited after the grace period. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The classpath the tests run with. Surefire starts its JVM from a manifest-only jar and puts
     * the real classpath in {@code java.class.path} for the tests.
     */
    private static String testClasspath() {
        return System.getProperty("java.class.path");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
