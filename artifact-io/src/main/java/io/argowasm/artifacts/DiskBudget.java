package io.argowasm.artifacts;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes one workspace may hold on disk. Every write into the workspace is charged before it
 * happens, so a hostile input or a runaway guest stops at the budget instead of filling the disk;
 * files the workspace deletes (a downloaded archive once unpacked, an uploaded output archive) give
 * their bytes back.
 */
final class DiskBudget {
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();

    DiskBudget(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the disk budget must be positive");
        }
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    long used() {
        return used.get();
    }

    /**
     * Takes {@code bytes} from the budget.
     *
     * @param artifact names the artifact in the message, such as {@code "input artifact 'x'"}
     * @throws ArtifactLimitException when they do not fit; nothing is taken then
     */
    void charge(String artifact, long bytes) {
        long after = used.accumulateAndGet(bytes, (now, more) -> now + more);
        if (after > maxBytes) {
            used.addAndGet(-bytes);
            throw new ArtifactLimitException(
                    ArtifactLimitException.Limit.DISK_BUDGET,
                    "%s would take the step's artifacts past their disk budget of %s (%d bytes):"
                                    .formatted(artifact, Sizes.format(maxBytes), maxBytes)
                            + " refused with %d bytes written and %d more asked for"
                                    .formatted(after - bytes, bytes));
        }
    }

    /** Gives back the bytes of a file the workspace deleted. */
    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** A stream that charges each write to this budget before passing it on. */
    OutputStream guard(String artifact, OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                charge(artifact, 1);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                charge(artifact, len);
                out.write(b, off, len);
            }
        };
    }
}
