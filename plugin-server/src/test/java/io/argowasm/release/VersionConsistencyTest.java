package io.argowasm.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The version on {@code main} is the next release's: the pom's {@code revision} is {@code
 * X.Y.Z-SNAPSHOT} and every manifest runs image tag {@code X.Y.Z}, so tagging {@code vX.Y.Z}
 * releases manifests that run the image the same release pushes.
 */
class VersionConsistencyTest {

    private static final Path REPOSITORY = ReleaseWorkflowsTest.REPOSITORY;
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    static String nextRelease() throws Exception {
        Matcher revision =
                Pattern.compile("<revision>(\\d+\\.\\d+\\.\\d+)-SNAPSHOT</revision>")
                        .matcher(Files.readString(REPOSITORY.resolve("pom.xml")));
        assertThat(revision.find()).as("pom.xml: <revision>X.Y.Z-SNAPSHOT</revision>").isTrue();
        return revision.group(1);
    }

    @Test
    void pluginManifestRunsTheImageOfTheNextRelease() throws Exception {
        JsonNode manifest = YAML.readTree(Files.readString(REPOSITORY.resolve("argo-plugin.yaml")));

        assertThat(manifest.at("/spec/sidecar/container/image").asString())
                .as("argo-plugin.yaml's image; the release is the pom's revision without -SNAPSHOT")
                .isEqualTo("ghcr.io/argowasm/wasm-executor-plugin:" + nextRelease());
    }

    @Test
    void kustomizeBaseTagsTheImageOfTheNextRelease() throws Exception {
        JsonNode kustomization =
                YAML.readTree(Files.readString(REPOSITORY.resolve("manifests/kustomization.yaml")));

        assertThat(kustomization.at("/images/0/newTag").asString())
                .as("manifests/kustomization.yaml's images[0].newTag")
                .isEqualTo(nextRelease());
    }

    @Test
    void derivedImageExampleStartsFromTheImageOfTheNextRelease() throws Exception {
        assertThat(Files.readString(REPOSITORY.resolve("examples/derived-image/Dockerfile")))
                .as("examples/derived-image/Dockerfile's FROM")
                .contains("\nFROM ghcr.io/argowasm/wasm-executor-plugin:" + nextRelease() + "\n");
    }
}
