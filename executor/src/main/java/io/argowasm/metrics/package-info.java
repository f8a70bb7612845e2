/**
 * What the plugin counts: the Prometheus metrics of one executor ({@code PluginMetrics}), which the
 * sidecar serves on {@code /metrics}, and the build's version ({@code BuildInfo}).
 */
package io.argowasm.metrics;
