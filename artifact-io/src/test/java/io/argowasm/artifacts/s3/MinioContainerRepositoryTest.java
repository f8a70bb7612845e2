package io.argowasm.artifacts.s3;

import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The S3 contract against a real MinIO server, where a Docker engine is available. */
@Testcontainers(disabledWithoutDocker = true)
class MinioContainerRepositoryTest extends S3RepositoryContract {
    @Container
    private static final MinIOContainer MINIO =
            new MinIOContainer("minio/minio:RELEASE.2025-04-22T22-12-26Z");

    @Override
    protected String endpoint() {
        return MINIO.getS3URL();
    }

    @Override
    protected String accessKey() {
        return MINIO.getUserName();
    }

    @Override
    protected String secretKey() {
        return MINIO.getPassword();
    }
}
