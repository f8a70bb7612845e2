package io.argowasm.wapc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What a guest printed during one invocation: {@code __console_log} lines and WASI stdout/stderr.
 * Each line goes to a listener (the sidecar's log) and the last few are kept for the node message
 * of a failed step. Lines are capped, and so is what one invocation may send to the listener: past
 * its budget of lines or bytes one marker line says so and the rest is dropped, so a chatty guest
 * cannot flood the sidecar's log. The last lines are kept either way. On request, what went to the
 * listener is also kept whole as a transcript (so it is bounded by the same budget), to be stored
 * as the step's log artifact.
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

    /**
     * What one invocation may send to the listener.
     *
     * @param maxBytes characters of all lines together
     * @param maxLines number of lines
     */
    public record Budget(long maxBytes, long maxLines) {
        public static final Budget DEFAULT = new Budget(1L << 20, 10_000);

        public Budget {
            if (maxBytes < 0 || maxLines < 0) {
                throw new IllegalArgumentException("an output budget cannot be negative");
            }
        }
    }

    static final int MAX_LINE_CHARS = 4096;

    private final int keep;
    private final Listener listener;
    private final Budget budget;
    private final Deque<String> last = new ArrayDeque<>();
    private long sentBytes;
    private long sentLines;
    private long droppedLines;
    private final ByteArrayOutputStream transcript;

    public GuestOutput(int keep, Listener listener) {
        this(keep, listener, Budget.DEFAULT);
    }

    public GuestOutput(int keep, Listener listener, Budget budget) {
        this(keep, listener, budget, false);
    }

    /**
     * @param keepTranscript whether to keep every line sent to the listener for {@link
     *     #transcript()}
     */
    public GuestOutput(int keep, Listener listener, Budget budget, boolean keepTranscript) {
        this.keep = keep;
        this.listener = listener;
        this.budget = budget;
        this.transcript = keepTranscript ? new ByteArrayOutputStream() : null;
    }

    /** Output that is kept but reported nowhere, for callers that only read {@link #lastLines}. */
    public static GuestOutput keeping(int keep) {
        return new GuestOutput(keep, (stream, text) -> {});
    }

    public synchronized void line(Stream stream, String text) {
        String capped =
                text.length() > MAX_LINE_CHARS ? text.substring(0, MAX_LINE_CHARS) + "..." : text;
        send(stream, capped);
        if (keep == 0) {
            return;
        }
        if (last.size() == keep) {
            last.removeFirst();
        }
        // Once per line the guest prints: a plain concatenation, no format to parse.
        last.addLast(stream + ": " + capped);
    }

    private void send(Stream stream, String text) {
        if (droppedLines > 0
                || sentLines + 1 > budget.maxLines()
                || sentBytes + text.length() > budget.maxBytes()) {
            if (droppedLines++ == 0) {
                deliver(
                        stream,
                        ("[output truncated: this invocation printed more than its budget of %,d"
                                        + " lines or %,d bytes (%s); the rest is dropped]")
                                .formatted(
                                        budget.maxLines(),
                                        budget.maxBytes(),
                                        HostFlags.MAX_GUEST_OUTPUT));
            }
            return;
        }
        sentLines++;
        sentBytes += text.length();
        deliver(stream, text);
    }

    private void deliver(Stream stream, String text) {
        listener.line(stream, text);
        if (transcript != null) {
            transcript.writeBytes((text + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Every line sent to the listener so far, in order, each ending in a newline (UTF-8), or null
     * unless the transcript was asked for.
     */
    public synchronized byte[] transcript() {
        return transcript == null ? null : transcript.toByteArray();
    }

    /** Lines not sent to the listener because the budget was spent. */
    public synchronized long droppedLines() {
        return droppedLines;
    }

    /** The last lines, oldest first, each prefixed with its stream. */
    public synchronized List<String> lastLines() {
        return new ArrayList<>(last);
    }
}
