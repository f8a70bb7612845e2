package io.argowasm.artifacts.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.artifacts.ArtifactRepositoryException;
import io.argowasm.artifacts.S3Location;
import io.argowasm.artifacts.UnsupportedArtifactException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class S3ArtifactRepositoryTest {
    private static final JsonMapper JSON = new JsonMapper();

    private static S3ArtifactRepository fromJson(String s3) {
        return S3ArtifactRepository.builder(
                        S3Location.fromJson(JSON.readTree(s3)), S3Credentials.of("a", "s", null))
                .build();
    }

    @Test
    void argoEndpointsAreHttpsUnlessInsecureAndFullUrlsAreKept() {
        assertThat(S3ArtifactRepository.endpointUrl("minio:9000", false))
                .isEqualTo("https://minio:9000");
        assertThat(S3ArtifactRepository.endpointUrl("minio:9000", true))
                .isEqualTo("http://minio:9000");
        assertThat(S3ArtifactRepository.endpointUrl("http://localhost:9000", false))
                .isEqualTo("http://localhost:9000");
        assertThat(S3ArtifactRepository.endpointUrl(null, false))
                .isEqualTo("https://s3.amazonaws.com");
    }

    @Test
    void theDescriptionNamesBucketAndEndpointOnly() {
        S3ArtifactRepository repository =
                S3ArtifactRepository.builder(
                                S3Location.builder()
                                        .endpoint("minio.argo:9000")
                                        .insecure(true)
                                        .bucket("my-bucket")
                                        .addressingStyle("path")
                                        .region("eu-west-1")
                                        .build(),
                                S3Credentials.of("AKIAEXAMPLE", "very-secret", "token"))
                        .build();

        assertThat(repository.description())
                .isEqualTo("bucket 'my-bucket' at http://minio.argo:9000");
        assertThat(repository.toString()).doesNotContain("AKIAEXAMPLE", "very-secret", "token");
        assertThat(S3Credentials.of("AKIAEXAMPLE", "very-secret", null).toString())
                .doesNotContain("AKIAEXAMPLE", "very-secret");
    }

    @Test
    void optionsThisPluginDoesNotImplementAreRefusedByName() {
        assertThatThrownBy(
                        () -> fromJson("{\"bucket\":\"b\",\"roleARN\":\"arn:aws:iam::1:role/r\"}"))
                .isInstanceOf(UnsupportedArtifactException.class)
                .hasMessageContaining("roleARN");
        assertThatThrownBy(
                        () ->
                                fromJson(
                                        "{\"bucket\":\"b\",\"caSecret\":{\"name\":\"ca\",\"key\":\"c\"}}"))
                .isInstanceOf(UnsupportedArtifactException.class)
                .hasMessageContaining("caSecret");
        assertThatThrownBy(
                        () ->
                                fromJson(
                                        "{\"bucket\":\"b\",\"encryptionOptions\":"
                                                + "{\"enableEncryption\":true}}"))
                .isInstanceOf(UnsupportedArtifactException.class)
                .hasMessageContaining("encryptionOptions");
    }

    @Test
    void aBucketIsRequiredAndAddressingStylesAreChecked() {
        assertThatThrownBy(() -> fromJson("{\"endpoint\":\"minio:9000\"}"))
                .isInstanceOf(ArtifactRepositoryException.class)
                .hasMessageContaining("names no bucket");
        assertThatThrownBy(() -> fromJson("{\"bucket\":\"b\",\"addressingStyle\":\"dns\"}"))
                .isInstanceOf(ArtifactRepositoryException.class)
                .hasMessageContaining("addressingStyle 'dns'");
    }
}
