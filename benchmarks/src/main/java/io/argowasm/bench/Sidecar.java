package io.argowasm.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A sidecar process started from the plugin's jar, as the pod starts it. */
final class Sidecar implements AutoCloseable {

    static final List<String> RSS_PARTS =
            List.of("class-data archives", "libjvm.so", "other files", "anonymous");

    private final Process process;
    private final int port;
    private final long startedNanos;
    private final Path log;

    private Sidecar(Process process, int port, long startedNanos, Path log) {
        this.process = process;
        this.port = port;
        this.startedNanos = startedNanos;
        this.log = log;
    }

    /**
     * Starts {@code java -jar JAR serve --no-auth} on a free loopback port, allowed to fetch
     * modules from loopback over plain http.
     *
     * @param jvmFlags flags before {@code -jar}, e.g. the class-data sharing archive
     * @param serveArgs more arguments for {@code serve}
     * @param log where the sidecar's output goes
     */
    static Sidecar start(
            Path jar, PodSettings pod, List<String> jvmFlags, List<String> serveArgs, Path log)
            throws IOException {
        return start(Path.of(System.getProperty("java.home")), jar, pod, jvmFlags, serveArgs, log);
    }

    /** The same on the Java runtime at {@code javaHome}, e.g. another JDK than the harness's. */
    static Sidecar start(
            Path javaHome,
            Path jar,
            PodSettings pod,
            List<String> jvmFlags,
            List<String> serveArgs,
            Path log)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        command.add(pod.maxRamFlag());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar.toString(), "serve", "--no-auth"));
        command.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
        // The benchmarks serve modules from this machine over plain http, which a sidecar
        // refuses unless told.
        command.addAll(List.of("--allow-http", "--allow-private-module-hosts"));
        command.addAll(serveArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(pod.environment());
        Files.createDirectories(log.getParent());
        builder.redirectOutput(log.toFile());
        long started = System.nanoTime();
        return new Sidecar(builder.start(), port, started, log);
    }

    /** Waits until {@code /healthz} answers 200; returns the time since the process started. */
    Duration awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = startedNanos + timeout.toNanos();
        byte[] probe = LoopbackConnection.get("/healthz");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(
                        "the sidecar exited with code " + process.exitValue() + "; see " + log);
            }
            try (LoopbackConnection connection = new LoopbackConnection(port)) {
                if (connection.exchange(probe).status() == 200) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
            } catch (ConnectException e) {
                // not listening yet
            }
            Thread.sleep(0, 500_000);
        }
        throw new IOException("the sidecar was not ready within " + timeout + "; see " + log);
    }

    /** The time since the process was started. */
    Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    int port() {
        return port;
    }

    LoopbackConnection connect() throws IOException {
        return new LoopbackConnection(port);
    }

    /** The process's resident set size, in MiB. */
    double rssMiB() throws IOException {
        for (String line :
                Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS in /proc/" + process.pid() + "/status");
    }

    /**
     * The resident set by what it maps, in MiB: the class-data sharing archives, the JVM's own
     * library, other files, and anonymous memory (heap, code cache, metaspace, stacks, malloc).
     */
    Map<String, Double> rssPartsMiB() throws IOException {
        Map<String, Double> parts = new LinkedHashMap<>();
        for (String part : RSS_PARTS) {
            parts.put(part, 0.0);
        }
        String mapping = "";
        for (String line :
                Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "smaps"))) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 0 && fields[0].matches("[0-9a-f]+-[0-9a-f]+")) {
                mapping = fields.length >= 6 ? fields[5] : "";
            } else if (fields[0].equals("Rss:")) {
                String part =
                        mapping.endsWith(".jsa") || mapping.endsWith(".aot")
                                ? RSS_PARTS.get(0)
                                : mapping.endsWith("libjvm.so")
                                        ? RSS_PARTS.get(1)
                                        : mapping.startsWith("/")
                                                ? RSS_PARTS.get(2)
                                                : RSS_PARTS.get(3);
                parts.merge(part, Long.parseLong(fields[1]) / 1024.0, Double::sum);
            }
        }
        return parts;
    }

    /** The sidecar's log so far. */
    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
