/**
 * Modules in OCI registries: references resolved to digests once, blobs pulled and verified, Basic
 * and bearer logins from Docker config files, and the {@code push} of a module, on {@code
 * java.net.http}.
 */
package io.argowasm.module.oci;
