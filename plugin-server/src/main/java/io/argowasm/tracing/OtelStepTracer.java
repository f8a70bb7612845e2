package io.argowasm.tracing;

import io.argowasm.exec.StepContext;
import io.argowasm.exec.StepTracer;
import io.argowasm.metrics.BuildInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Invocations as OpenTelemetry spans: {@code template.execute} with a child per stage, exported
 * over OTLP as the {@code OTEL_*} environment variables say. Loaded only when tracing is asked for
 * (see {@link StepTracer#fromEnvironment}).
 */
public final class OtelStepTracer implements StepTracer {

    private static final long FLUSH_SECONDS = 10;

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;
    // Span times are wall-clock; stages are measured with nanoTime.
    private final long epochMinusNanoTime =
            System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    private final WorkflowTraceIds workflowTraceIds;

    private OtelStepTracer(OpenTelemetrySdk sdk, WorkflowTraceIds workflowTraceIds) {
        this.sdk = sdk;
        this.tracer = sdk.getTracer("io.argowasm.wasm-executor-plugin", BuildInfo.version());
        this.workflowTraceIds = workflowTraceIds;
    }

    /**
     * This tracer, joining each workflow's trace by reading its Workflow object through {@code
     * client} when the request does not carry the trace id.
     */
    public OtelStepTracer joiningWorkflowsOf(KubernetesClient client) {
        return new OtelStepTracer(sdk, new WorkflowTraceIds(() -> client));
    }

    /**
     * A tracer configured by the {@code OTEL_*} environment variables and system properties, with
     * {@code overrides} on top (for tests). Only traces are exported: metrics are scraped.
     */
    public static OtelStepTracer fromEnvironment(Map<String, String> overrides) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", "wasm-executor-plugin");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        OpenTelemetrySdk sdk =
                AutoConfiguredOpenTelemetrySdk.builder()
                        .addPropertiesSupplier(() -> defaults)
                        .addPropertiesCustomizer(config -> overrides)
                        .disableShutdownHook()
                        .build()
                        .getOpenTelemetrySdk();
        // In a pod, the Workflow's annotation gives the trace id; outside one there is none.
        WorkflowTraceIds workflows =
                System.getenv("KUBERNETES_SERVICE_HOST") == null
                        ? null
                        : new WorkflowTraceIds(() -> new KubernetesClientBuilder().build());
        return new OtelStepTracer(sdk, workflows);
    }

    @Override
    public StepSpan start(StepContext step, String traceId, long startNanos) {
        Context parent = Context.root();
        if (traceId == null && workflowTraceIds != null) {
            traceId = workflowTraceIds.of(step);
        }
        if (traceId != null && TraceId.isValid(traceId)) {
            // Argo publishes the workflow's trace id but no span id: join as a remote child of
            // an unknown span, so the step shows up in the workflow's trace.
            String spanId = Long.toHexString(ThreadLocalRandom.current().nextLong() | 1L);
            SpanContext remote =
                    SpanContext.createFromRemoteParent(
                            traceId,
                            "0".repeat(16 - spanId.length()) + spanId,
                            TraceFlags.getSampled(),
                            TraceState.getDefault());
            parent = parent.with(Span.wrap(remote));
        }
        Span span =
                tracer.spanBuilder("template.execute")
                        .setParent(parent)
                        .setSpanKind(SpanKind.SERVER)
                        .setStartTimestamp(epoch(startNanos), TimeUnit.NANOSECONDS)
                        .setAttribute("k8s.namespace.name", step.namespace())
                        .setAttribute("argo.workflow.name", step.workflow())
                        .setAttribute("argo.workflow.uid", step.uid())
                        .setAttribute("argo.template.name", step.template())
                        .startSpan();
        return new OtelSpan(span);
    }

    private long epoch(long nanoTime) {
        return epochMinusNanoTime + nanoTime;
    }

    @Override
    public void close() {
        sdk.getSdkTracerProvider().forceFlush().join(FLUSH_SECONDS, TimeUnit.SECONDS);
        sdk.shutdown().join(FLUSH_SECONDS, TimeUnit.SECONDS);
    }

    private final class OtelSpan implements StepSpan {
        private final Span span;
        private final Context context;

        OtelSpan(Span span) {
            this.span = span;
            this.context = Context.root().with(span);
        }

        @Override
        public void stage(String name, long startNanos, long endNanos) {
            tracer.spanBuilder(name)
                    .setParent(context)
                    .setStartTimestamp(epoch(startNanos), TimeUnit.NANOSECONDS)
                    .startSpan()
                    .end(epoch(endNanos), TimeUnit.NANOSECONDS);
        }

        @Override
        public void end(Map<String, String> attributes) {
            attributes.forEach((k, v) -> span.setAttribute(AttributeKey.stringKey(k), v));
            if (!"Succeeded".equals(attributes.get("argo.node.phase"))) {
                span.setStatus(StatusCode.ERROR, attributes.getOrDefault("wasm.reason", ""));
            }
            span.end();
        }
    }
}
