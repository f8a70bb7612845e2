package io.argowasm.wapc;

/** One waPC binding's handler: what a guest reaches with {@code __host_call(binding, ...)}. */
@FunctionalInterface
public interface HostCall {

    /**
     * Handles one call from the guest.
     *
     * @return the response bytes handed to the guest through {@code __host_response}
     * @throws HostCallException with the text the guest reads through {@code __host_error}
     */
    byte[] call(String namespace, String operation, byte[] payload) throws HostCallException;
}
