package io.argowasm.wapc;

/** A host call refused or failed; the message is what the guest reads from {@code __host_error}. */
public final class HostCallException extends Exception {

    public HostCallException(String message) {
        super(message);
    }

    public HostCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
