package io.argowasm.wapc;

import java.util.List;
import java.util.Map;

/**
 * Sends a guest's HTTP request for it, under whatever the step allows (origins, addresses, time,
 * size). Offered to WASI commands as the {@code wasi_experimental_http} imports.
 */
@FunctionalInterface
public interface HttpExchange {

    /** No HTTP: every request is refused. */
    HttpExchange NONE =
            request -> {
                throw new HostCallException(
                        "HTTP requests are not allowed for this step; list the origin under"
                                + " plugin.wasm.permissions.http.allowed_hosts");
            };

    /** A request as the guest made it. */
    record Request(String method, String url, Map<String, List<String>> headers, byte[] body) {}

    /** The answer, whole. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {}

    /**
     * @throws HostCallException when the request is refused or fails; its message is logged
     */
    Response send(Request request) throws HostCallException;
}
