/**
 * OpenTelemetry spans for steps ({@code OtelStepTracer}), loaded by name by {@code exec.StepTracer}
 * only when an OTLP endpoint or exporter is set, so the SDK stays out of the core and out of a
 * sidecar that does not trace.
 */
package io.argowasm.tracing;
