/**
 * OpenTelemetry spans for steps ({@code OtelStepTracer}), loaded by name by {@code exec.StepTracer}
 * only when an OTLP endpoint or exporter is set, so the SDK stays out of the core and out of a
 * sidecar that does not trace. It may depend on the core ({@code argo}, {@code exec}, {@code
 * metrics}), {@code artifacts.kubernetes}, fabric8 and the OpenTelemetry SDK; nothing imports it,
 * the core loads it by name.
 */
package io.argowasm.tracing;
