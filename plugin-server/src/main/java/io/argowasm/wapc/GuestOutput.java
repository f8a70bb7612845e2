package io.argowasm.wapc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What a guest printed during one invocation: {@code __console_log} lines and WASI stdout/stderr.
 * Each line goes to a listener (the sidecar's log) and the last few are kept for the node message
 * of a failed step. Lines are capped so a chatty guest cannot exhaust the host.
 */
public final class GuestOutput {

    /** Where a line came from. */
    public enum Stream {
        console,
        stdout,
        stderr
    }

    /** Receives every line as it is completed. */
    @FunctionalInterface
    public interface Listener {
        void line(Stream stream, String text);
    }

    static final int MAX_LINE_CHARS = 4096;

    private final int keep;
    private final Listener listener;
    private final Deque<String> last = new ArrayDeque<>();

    public GuestOutput(int keep, Listener listener) {
        this.keep = keep;
        this.listener = listener;
    }

    /** Output that is kept but reported nowhere, for callers that only read {@link #lastLines}. */
    public static GuestOutput keeping(int keep) {
        return new GuestOutput(keep, (stream, text) -> {});
    }

    public synchronized void line(Stream stream, String text) {
        String capped =
                text.length() > MAX_LINE_CHARS ? text.substring(0, MAX_LINE_CHARS) + "..." : text;
        listener.line(stream, capped);
        if (keep == 0) {
            return;
        }
        if (last.size() == keep) {
            last.removeFirst();
        }
        last.addLast(stream + ": " + capped);
    }

    /** The last lines, oldest first, each prefixed with its stream. */
    public synchronized List<String> lastLines() {
        return new ArrayList<>(last);
    }
}
