/**
 * Repositories for local runs: a directory standing in for a bucket ({@link
 * io.argowasm.artifacts.local.DirectoryArtifactRepository}), and {@link
 * io.argowasm.artifacts.local.FixedRepositoryResolver} to use one repository for every workflow.
 */
package io.argowasm.artifacts.local;
