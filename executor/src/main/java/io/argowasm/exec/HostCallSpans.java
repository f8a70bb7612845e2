package io.argowasm.exec;

import io.argowasm.exec.StepTracer.StepSpan;
import io.argowasm.wapc.HostBindings.CallObserver;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child span of the step for each host call, named by its binding and namespace ({@code
 * host.artifacts/in}). A guest may call the host thousands of times, so only the first {@value
 * #MAX_SPANS} calls of an invocation become spans; the names are cut to {@value #MAX_NAME}
 * characters, as the guest chooses them.
 */
final class HostCallSpans implements CallObserver {

    static final int MAX_SPANS = 128;
    static final int MAX_NAME = 64;

    private final StepSpan span;
    private final AtomicInteger calls = new AtomicInteger();

    private HostCallSpans(StepSpan span) {
        this.span = span;
    }

    /**
     * Spans for the host calls of the step traced by {@code span}; nothing when it is not traced.
     */
    static CallObserver of(StepSpan span) {
        return span == StepTracer.NO_SPAN ? CallObserver.NONE : new HostCallSpans(span);
    }

    @Override
    public void called(String binding, String namespace, long startNanos, long endNanos) {
        if (calls.getAndIncrement() < MAX_SPANS) {
            span.stage(name(binding, namespace), startNanos, endNanos);
        }
    }

    static String name(String binding, String namespace) {
        String name = namespace.isEmpty() ? "host." + binding : "host." + binding + "/" + namespace;
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME);
    }
}
