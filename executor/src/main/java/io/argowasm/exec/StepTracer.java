package io.argowasm.exec;

import java.util.Map;

/**
 * Where invocations are traced: a span per invocation with a child span per stage. Without an
 * OpenTelemetry endpoint in the environment it is {@link #NONE}, and no OpenTelemetry class is
 * loaded.
 */
public interface StepTracer {

    /** The span of one invocation. */
    interface StepSpan {
        /**
         * Records a finished stage as a child span, from two {@link System#nanoTime()} readings.
         */
        void stage(String name, long startNanos, long endNanos);

        /** Ends the span with the invocation's outcome. */
        void end(Map<String, String> attributes);
    }

    StepSpan NO_SPAN =
            new StepSpan() {
                @Override
                public void stage(String name, long startNanos, long endNanos) {}

                @Override
                public void end(Map<String, String> attributes) {}
            };

    StepTracer NONE =
            new StepTracer() {
                @Override
                public StepSpan start(StepContext step, String traceId, long startNanos) {
                    return NO_SPAN;
                }

                @Override
                public void close() {}
            };

    /**
     * Starts the span of an invocation.
     *
     * @param traceId the workflow's trace id (32 hex digits) to join, or null for a new trace
     * @param startNanos when the invocation started, by {@link System#nanoTime()}
     */
    StepSpan start(StepContext step, String traceId, long startNanos);

    /** Sends what is still buffered and stops; called at shutdown. */
    void close();

    /** The environment variables that turn tracing on, as OpenTelemetry's SDKs read them. */
    String[] SWITCHES = {
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_TRACES_EXPORTER"
    };

    /**
     * The tracer the environment asks for: OpenTelemetry's, configured by its usual {@code OTEL_*}
     * variables, when one of {@link #SWITCHES} is set (and {@code OTEL_TRACES_EXPORTER} is not
     * {@code none}); otherwise {@link #NONE}. The SDK is loaded by name so that, without those
     * variables, none of its classes is.
     */
    static StepTracer fromEnvironment(Map<String, String> environment) {
        boolean wanted = false;
        for (String name : SWITCHES) {
            String value = environment.get(name);
            wanted |= value != null && !value.isBlank();
        }
        if (!wanted || "none".equals(environment.get("OTEL_TRACES_EXPORTER"))) {
            return NONE;
        }
        try {
            return (StepTracer)
                    Class.forName("io.argowasm.tracing.OtelStepTracer")
                            .getMethod("fromEnvironment", Map.class)
                            .invoke(null, Map.of());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "tracing was asked for (%s) but OpenTelemetry could not be started: %s"
                            .formatted(String.join(" or ", SWITCHES), e.getCause()),
                    e);
        }
    }
}
