/**
 * S3 repositories through minio-java: {@link io.argowasm.artifacts.s3.S3ArtifactRepository} and its
 * {@link io.argowasm.artifacts.s3.S3Credentials}. For a local run against one's own MinIO:
 *
 * <pre>{@code
 * S3ArtifactRepository.builder(
 *         S3Location.builder().endpoint("http://localhost:9000").bucket("my-bucket").build(),
 *         S3Credentials.fromEnvironment())                 // AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
 *     .build();
 * }</pre>
 *
 * <p>It may depend on {@code artifacts} and minio-java; never on the executor's packages.
 */
package io.argowasm.artifacts.s3;
