/**
 * Repository resolution inside a cluster, in Argo's order, with credentials from Secrets: {@link
 * io.argowasm.artifacts.kubernetes.KubernetesRepositoryResolver}.
 */
package io.argowasm.artifacts.kubernetes;
