/**
 * Reading a workflow's settings from the cluster: repository resolution in Argo's order, with
 * credentials from Secrets ({@link io.argowasm.artifacts.kubernetes.KubernetesRepositoryResolver}),
 * and the Docker configs of its pull Secrets ({@link
 * io.argowasm.artifacts.kubernetes.RegistrySecrets}).
 */
package io.argowasm.artifacts.kubernetes;
