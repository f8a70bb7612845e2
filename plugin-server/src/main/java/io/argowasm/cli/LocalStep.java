package io.argowasm.cli;

import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.ExecuteTemplateReply;
import io.argowasm.argo.NodePhase;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.FileTrees;
import io.argowasm.exec.GoDuration;
import io.argowasm.exec.TemplateExecutor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one step {@code run} executes: its executor and the temporary directory holding every file
 * the step stages. Unlike Argo's agent, {@code run} has no later call to hand a {@code Running}
 * step to, so it asks again until the step ends (at the latest at its {@code limits.timeout}). A
 * shutdown hook stops the guest and removes the temporary files when the process is interrupted.
 */
final class LocalStep implements AutoCloseable {

    private final ArtifactWorkspaces workspaces;
    private final TemplateExecutor executor;
    private final Path temporary;
    private final PrintWriter err;
    private final Thread hook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long startedNanos = System.nanoTime();
    private volatile String running;

    private LocalStep(
            ArtifactWorkspaces workspaces,
            TemplateExecutor executor,
            Path temporary,
            PrintWriter err) {
        this.workspaces = workspaces;
        this.executor = executor;
        this.temporary = temporary;
        this.err = err;
        this.hook = new Thread(this::interrupted, "run-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Creates the temporary directory, then the workspaces and the executor over it.
     *
     * @param workspacesUnder the step's artifact workspaces, given the temporary directory
     * @param executorOver the executor over those workspaces
     * @param err where the summary of an interrupted run is printed
     */
    static LocalStep open(
            Function<Path, ArtifactWorkspaces> workspacesUnder,
            Function<ArtifactWorkspaces, TemplateExecutor> executorOver,
            PrintWriter err) {
        Path temporary;
        try {
            temporary = Files.createTempDirectory("wasm-run-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the step", e);
        }
        try {
            ArtifactWorkspaces workspaces = workspacesUnder.apply(temporary);
            return new LocalStep(workspaces, executorOver.apply(workspaces), temporary, err);
        } catch (RuntimeException e) {
            delete(temporary);
            throw e;
        }
    }

    /** The workspaces the step stages its artifacts in. */
    ArtifactWorkspaces workspaces() {
        return workspaces;
    }

    /**
     * Runs the template to its end: a {@code Running} reply is followed by another call at once
     * (which waits for the step again), a {@code Pending} one by a call after its {@code requeue}.
     *
     * @param onWait told the message of each {@code Running} or {@code Pending} reply
     */
    ExecuteTemplateReply execute(ExecuteTemplateArgs args, Consumer<String> onWait) {
        running = args.template().name();
        try {
            while (true) {
                ExecuteTemplateReply reply = executor.execute(args);
                if (reply.node() == null
                        || reply.requeue() == null
                        || (reply.node().phase() != NodePhase.Running
                                && reply.node().phase() != NodePhase.Pending)) {
                    return reply;
                }
                onWait.accept(reply.node().message());
                if (reply.node().phase() == NodePhase.Pending) {
                    Thread.sleep(GoDuration.parse(reply.requeue()).toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the step", e);
        } finally {
            running = null;
        }
    }

    @Override
    public void close() {
        if (cleanUp()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook finds nothing left to do.
            }
        }
    }

    /** Ctrl-C or SIGTERM while the command runs: stop the guest, remove the files, say so. */
    private void interrupted() {
        String step = running;
        if (!cleanUp()) {
            return;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
        err.println(
                "run: interrupted after %s; %s, temporary files removed"
                        .formatted(
                                GoDuration.format(Duration.ofMillis(elapsed.toMillis())),
                                step == null
                                        ? "no step was running"
                                        : "step '%s' was stopped".formatted(step)));
        err.flush();
    }

    private boolean cleanUp() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        try {
            executor.close();
        } finally {
            delete(temporary);
        }
        return true;
    }

    private static void delete(Path directory) {
        try {
            FileTrees.delete(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot remove the step's temporary directory %s".formatted(directory), e);
        }
    }
}
