package io.argowasm.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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

    private SidecarProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
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

    /** The last lines the sidecar wrote, for a failure message. */
    String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
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
