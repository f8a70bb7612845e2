package io.argowasm.wapc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** The host calls one invocation offers its guest, by waPC binding name. */
public final class HostBindings {

    public static final HostBindings NONE = builder().build();

    private final Map<String, HostCall> bindings;
    private final HttpExchange http;
    private final CallObserver observer;

    private HostBindings(Map<String, HostCall> bindings, HttpExchange http, CallObserver observer) {
        this.bindings = Map.copyOf(bindings);
        this.http = http;
        this.observer = observer;
    }

    /** Told of every host call once it returns or fails, for tracing. */
    @FunctionalInterface
    public interface CallObserver {
        CallObserver NONE = (binding, namespace, startNanos, endNanos) -> {};

        void called(String binding, String namespace, long startNanos, long endNanos);
    }

    /**
     * What serves the {@code wasi_experimental_http} imports; {@link HttpExchange#NONE} unless set.
     */
    public HttpExchange http() {
        return http;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Routes a guest's host call; an unknown binding is a host error, never a crash. */
    public byte[] call(String binding, String namespace, String operation, byte[] payload)
            throws HostCallException {
        if (observer == CallObserver.NONE) {
            return route(binding, namespace, operation, payload);
        }
        long start = System.nanoTime();
        try {
            return route(binding, namespace, operation, payload);
        } finally {
            observer.called(binding, namespace, start, System.nanoTime());
        }
    }

    private byte[] route(String binding, String namespace, String operation, byte[] payload)
            throws HostCallException {
        HostCall handler = bindings.get(binding);
        if (handler == null) {
            throw new HostCallException(
                    "unknown host call binding '%s'%s"
                            .formatted(
                                    binding,
                                    bindings.isEmpty()
                                            ? "; this step offers no host calls"
                                            : "; available: %s"
                                                    .formatted(
                                                            String.join(
                                                                    ", ",
                                                                    new TreeSet<>(
                                                                            bindings.keySet())))));
        }
        return handler.call(namespace, operation, payload);
    }

    /** Collects bindings. */
    public static final class Builder {
        private final Map<String, HostCall> bindings = new LinkedHashMap<>();
        private HttpExchange http = HttpExchange.NONE;
        private CallObserver observer = CallObserver.NONE;

        private Builder() {}

        /** Tells {@code observer} of each host call. */
        public Builder observe(CallObserver observer) {
            this.observer = observer;
            return this;
        }

        /** Serves the {@code wasi_experimental_http} imports. */
        public Builder http(HttpExchange http) {
            this.http = http;
            return this;
        }

        public Builder bind(String binding, HostCall handler) {
            if (bindings.putIfAbsent(binding, handler) != null) {
                throw new IllegalArgumentException(
                        "binding '%s' is already bound".formatted(binding));
            }
            return this;
        }

        public HostBindings build() {
            return new HostBindings(bindings, http, observer);
        }
    }
}
