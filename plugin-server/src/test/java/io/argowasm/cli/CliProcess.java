package io.argowasm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command line as a separate process ({@code java -cp <test classpath> io.argowasm.cli.Main}),
 * for what only a process shows: logging set up at start, signals, files left behind at exit.
 */
final class CliProcess implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts the command line with {@code args}.
     *
     * @param dir holds its stdout and stderr files and, below {@code tmp}, its temporary directory
     */
    static CliProcess start(Path dir, String... args) throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.argowasm.cli.Main");
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process process =
                new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        return new CliProcess(process, out, err);
    }

    /** Runs the command line to its end (at most two minutes) and returns its exit code. */
    static Finished run(Path dir, String... args) throws Exception {
        try (CliProcess process = start(dir, args)) {
            return process.awaitExit(Duration.ofMinutes(2));
        }
    }

    /** What a finished process left. */
    record Finished(int exitCode, String out, String err) {}

    /** Waits until stderr contains {@code text}; fails if the process exits first. */
    void awaitErr(String text, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!err().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "exited with %d before printing '%s'; stderr:%n%s"
                                .formatted(process.exitValue(), text, err()));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no '%s' on stderr within %s:%n%s".formatted(text, patience, err()));
            }
            Thread.sleep(50);
        }
    }

    /** SIGTERM, which runs the shutdown hooks as Ctrl-C's SIGINT does. */
    void terminate() {
        process.destroy();
    }

    Finished awaitExit(Duration patience) throws Exception {
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not exit within %s:%n%s".formatted(patience, err()));
        }
        return new Finished(process.exitValue(), Files.readString(out), err());
    }

    /** What the process wrote to stderr so far. */
    String err() {
        try {
            return Files.readString(err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
