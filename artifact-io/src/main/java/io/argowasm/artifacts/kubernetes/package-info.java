/**
 * Reading a workflow's settings from the cluster: repository resolution in Argo's order, with
 * credentials from Secrets ({@link io.argowasm.artifacts.kubernetes.KubernetesRepositoryResolver}),
 * and the Docker configs of its pull Secrets ({@link
 * io.argowasm.artifacts.kubernetes.RegistrySecrets}). It may depend on {@code artifacts}, {@code
 * artifacts.s3} and fabric8; never on the executor's packages.
 */
package io.argowasm.artifacts.kubernetes;
