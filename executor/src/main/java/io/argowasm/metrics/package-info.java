/**
 * What the plugin counts: the Prometheus metrics of one executor ({@code PluginMetrics}), which the
 * sidecar serves on {@code /metrics}, and the build's version ({@code BuildInfo}). It may depend on
 * the Prometheus client only.
 */
package io.argowasm.metrics;
