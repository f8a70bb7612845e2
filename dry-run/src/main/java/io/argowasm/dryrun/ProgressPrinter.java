package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live progress on stderr: a line when a step starts ({@code [00:00.123] ▶ name}), while the plugin
 * reports it still running, and when it ends ({@code [00:00.130] ✔ name Succeeded 7ms message}). On
 * a terminal a status line with the elapsed time and the running and finished counts stays below
 * them, redrawn in place four times a second.
 */
public final class ProgressPrinter implements NodeListener, AutoCloseable {

    private static final Set<NodeType> STEPS =
            EnumSet.of(NodeType.Plugin, NodeType.Pod, NodeType.Suspend, NodeType.Skipped);

    private final PrintWriter err;
    private final boolean terminal;
    private final Instant start = Instant.now();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final ScheduledExecutorService ticker;

    /**
     * @param terminal whether {@code err} is a terminal that understands ANSI codes
     */
    public ProgressPrinter(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
        if (terminal) {
            ticker =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "dry-run-progress");
                                t.setDaemon(true);
                                return t;
                            });
            ticker.scheduleAtFixedRate(this::redraw, 250, 250, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    @Override
    public void started(Node node) {
        if (!STEPS.contains(node.type())) {
            return;
        }
        running.incrementAndGet();
        print("%s ▶ %s".formatted(stamp(), node.name()));
    }

    @Override
    public void waiting(Node node, String message) {
        print(
                "%s %s %s  %s"
                        .formatted(stamp(), Symbols.of(NodePhase.Running), node.name(), message));
    }

    @Override
    public void finished(Node node) {
        boolean step = STEPS.contains(node.type());
        boolean root = node.id().equals(node.name());
        if (!step && !root) {
            return;
        }
        if (step) {
            if (node.type() != NodeType.Skipped) {
                running.decrementAndGet();
            }
            finished.incrementAndGet();
            if (node.phase().failed()) {
                failed.incrementAndGet();
            }
        }
        String message = node.message().isEmpty() ? "" : "  %s".formatted(node.message());
        print(
                "%s %s %s  %s %s%s"
                        .formatted(
                                stamp(),
                                Symbols.of(node.phase()),
                                node.name(),
                                node.phase(),
                                Durations.format(node.duration()),
                                message));
    }

    /**
     * A stream for other writers of stderr (the log): each complete line is printed above the
     * status line, as progress lines are, instead of over it.
     */
    public PrintStream logLines() {
        OutputStream lines =
                new OutputStream() {
                    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

                    @Override
                    public synchronized void write(int b) {
                        if (b == '\n') {
                            String text = line.toString(StandardCharsets.UTF_8);
                            line.reset();
                            print(
                                    text.endsWith("\r")
                                            ? text.substring(0, text.length() - 1)
                                            : text);
                        } else {
                            line.write(b);
                        }
                    }
                };
        return new PrintStream(lines, true, StandardCharsets.UTF_8);
    }

    /** Stops redrawing and clears the status line. */
    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            err.print("\r\033[K");
        }
        err.flush();
    }

    private synchronized void print(String line) {
        if (terminal) {
            err.print("\r\033[K" + line + "\n" + status());
        } else {
            err.println(line);
        }
        err.flush();
    }

    private synchronized void redraw() {
        err.print("\r\033[K" + status());
        err.flush();
    }

    private String status() {
        return "◷ %s  running %s, finished %s%s"
                .formatted(
                        Durations.stamp(Duration.between(start, Instant.now())),
                        running.get(),
                        finished.get(),
                        (failed.get() > 0 ? ", failed %s".formatted(failed.get()) : ""));
    }

    private String stamp() {
        return "[" + Durations.stamp(Duration.between(start, Instant.now())) + "]";
    }
}
