/**
 * Repositories for local runs: a directory standing in for a bucket ({@link
 * io.argowasm.artifacts.local.DirectoryArtifactRepository}), and {@link
 * io.argowasm.artifacts.local.FixedRepositoryResolver} to use one repository for every workflow. It
 * may depend on {@code artifacts} and {@code artifacts.s3} (for {@code S3Location}); never on the
 * executor's packages.
 */
package io.argowasm.artifacts.local;
