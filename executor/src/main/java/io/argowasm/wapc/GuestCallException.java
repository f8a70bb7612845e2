package io.argowasm.wapc;

/** A waPC call that did not produce a response; the message says why, for the user. */
public final class GuestCallException extends Exception {

    /** Why the call failed. */
    public enum Kind {
        /** The guest reported an error through {@code __guest_error} (or returned 0). */
        GUEST_ERROR,
        /** The guest trapped: {@code unreachable}, out-of-bounds access, division by zero... */
        TRAP,
        /** The guest broke the waPC protocol: bad pointers, oversized buffers, no response. */
        PROTOCOL,
        /** Runaway recursion exhausted the stack. */
        STACK_EXHAUSTED,
        /** The call was interrupted: a timeout or a shutdown. */
        INTERRUPTED,
        /** The module could not be instantiated or initialised. */
        INSTANTIATION,
        /** The step needs more memory than its limit or the sidecar's whole budget allows. */
        MEMORY_LIMIT,
        /** The sidecar's memory budget is held by other steps right now: try again later. */
        MEMORY_BUSY
    }

    private final Kind kind;

    public GuestCallException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public GuestCallException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
