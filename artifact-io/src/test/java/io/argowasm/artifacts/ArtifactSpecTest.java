package io.argowasm.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ArtifactSpecTest {
    private static final JsonMapper JSON = new JsonMapper();

    private static ArtifactSpec parse(String json) {
        return ArtifactSpec.fromJson(JSON.readTree(json));
    }

    @Test
    void aKeyOnlyS3InputAsUpstreamPodsRecordIt() {
        ArtifactSpec spec =
                parse(
                        "{\"name\":\"text\",\"path\":\"/in/text\","
                                + "\"s3\":{\"key\":\"etl/etl-fetch-1/text.tgz\"}}");

        assertThat(spec.name()).isEqualTo("text");
        assertThat(spec.path()).isEqualTo("/in/text");
        assertThat(spec.optional()).isFalse();
        assertThat(spec.archive()).isEqualTo(ArchiveStrategy.DEFAULT);
        S3Location location = ((ArtifactSource.S3) spec.source()).location();
        assertThat(location.key()).isEqualTo("etl/etl-fetch-1/text.tgz");
        assertThat(location.isComplete()).isFalse();
    }

    @Test
    void aCompleteS3LocationWithSecretsAndOptions() {
        ArtifactSpec spec =
                parse(
                        "{\"name\":\"a\",\"optional\":true,\"archive\":{\"none\":{}},\"s3\":{"
                                + "\"endpoint\":\"minio:9000\",\"bucket\":\"b\",\"key\":\"k\","
                                + "\"insecure\":true,\"region\":\"eu\","
                                + "\"addressingStyle\":\"path\","
                                + "\"accessKeySecret\":{\"name\":\"s\",\"key\":\"ak\"},"
                                + "\"secretKeySecret\":{\"name\":\"s\",\"key\":\"sk\"}}}");

        S3Location location = ((ArtifactSource.S3) spec.source()).location();
        assertThat(spec.optional()).isTrue();
        assertThat(spec.archive()).isEqualTo(ArchiveStrategy.NONE);
        assertThat(location.isComplete()).isTrue();
        assertThat(location.insecure()).isTrue();
        assertThat(location.region()).isEqualTo("eu");
        assertThat(location.addressingStyle()).isEqualTo("path");
        assertThat(location.accessKeySecret()).isEqualTo(new SecretKeyRef("s", "ak"));
        assertThat(location.secretKeySecret()).isEqualTo(new SecretKeyRef("s", "sk"));
    }

    @Test
    void tarCompressionLevelIsRead() {
        assertThat(
                        parse("{\"name\":\"a\",\"archive\":{\"tar\":{\"compressionLevel\":1}}}")
                                .archive())
                .isEqualTo(ArchiveStrategy.tar(1));
    }

    @Test
    void rawAndHttpSources() {
        assertThat(parse("{\"name\":\"a\",\"raw\":{\"data\":\"hi\"}}").source())
                .isEqualTo(new ArtifactSource.Raw("hi"));
        ArtifactSource.Http http =
                (ArtifactSource.Http)
                        parse(
                                        "{\"name\":\"a\",\"http\":{\"url\":\"http://x/y\","
                                                + "\"headers\":[{\"name\":\"Authorization\","
                                                + "\"value\":\"Bearer t0ken\"}]}}")
                                .source();
        assertThat(http.url()).isEqualTo("http://x/y");
        assertThat(http.headers()).hasSize(1);
        assertThat(http.toString()).contains("Authorization").doesNotContain("t0ken");
    }

    @Test
    void otherLocationTypesAreNamed() {
        for (String type : new String[] {"gcs", "azure", "git", "hdfs", "oss", "artifactory"}) {
            assertThat(parse("{\"name\":\"a\",\"" + type + "\":{}}").source())
                    .isEqualTo(new ArtifactSource.Unsupported(type));
        }
        assertThat(parse("{\"name\":\"a\",\"http\":{\"url\":\"u\",\"auth\":{}}}").source())
                .isEqualTo(new ArtifactSource.Unsupported("http with auth"));
    }

    @Test
    void anOutputWithoutLocationIsUnset() {
        JsonNode output = JSON.readTree("{\"name\":\"counts\",\"path\":\"/out/counts.json\"}");
        assertThat(ArtifactSpec.fromJson(output).source()).isEqualTo(new ArtifactSource.Unset());
    }

    @Test
    void anArtifactWithoutNameIsRejected() {
        assertThatThrownBy(() -> parse("{\"path\":\"/x\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a name");
    }

    @Test
    void outOfRangeCompressionLevelsAreRejected() {
        assertThatThrownBy(() -> ArchiveStrategy.tar(10))
                .hasMessageContaining("compressionLevel must be between -1 and 9");
    }
}
