/**
 * Build-time generators: the executor plugin ConfigMap written from {@code argo-plugin.yaml} as
 * {@code argo executor-plugin build} writes it ({@code ExecutorPluginConfigMap}), and its copy for
 * the kustomize base ({@code KustomizeBaseConfigMap}). Not part of the plugin jar. It may depend on
 * Jackson only; no module of the plugin.
 */
package io.argowasm.manifest;
