/**
 * Modules in OCI registries: references resolved to digests once, blobs pulled and verified, Basic
 * and bearer logins from Docker config files, and the {@code push} of a module, on {@code
 * java.net.http}. It may depend on {@code module} and {@code artifact-io} (a workflow's pull
 * Secrets), not on {@code exec} or {@code wapc}.
 */
package io.argowasm.module.oci;
