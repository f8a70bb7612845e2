package io.argowasm.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The GitHub workflows cannot run here, so this reads them: valid by SchemaStore's workflow schema,
 * triggered as CONTRIBUTING.md says, every action pinned, and every file they run or publish one
 * the repository holds or the build writes.
 */
class ReleaseWorkflowsTest {

    static final Path REPOSITORY = Path.of("..");
    private static final Path WORKFLOWS = REPOSITORY.resolve(".github/workflows");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** An action pinned to a release tag (v4, v4.1.2) or a commit. */
    private static final Pattern PINNED =
            Pattern.compile("[\\w.-]+/[\\w./-]+@(v\\d+(\\.\\d+){0,2}|[0-9a-f]{40})");

    private static Schema workflowSchema;

    @BeforeAll
    static void loadSchema() throws IOException {
        String text;
        try (InputStream in =
                ReleaseWorkflowsTest.class
                        .getClassLoader()
                        .getResourceAsStream("github/github-workflow.json")) {
            assertThat(in).as("github/github-workflow.json on the classpath").isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String id = new ObjectMapper().readTree(text).get("$id").stringValue();
        SchemaRegistry registry =
                SchemaRegistry.withDialect(
                        Dialects.getDraft7(), builder -> builder.schemas(Map.of(id, text)));
        workflowSchema = registry.getSchema(SchemaLocation.of(id));
    }

    static JsonNode workflow(String file) throws IOException {
        return YAML.readTree(Files.readString(WORKFLOWS.resolve(file)));
    }

    static List<JsonNode> steps(JsonNode workflow) {
        List<JsonNode> steps = new ArrayList<>();
        workflow.path("jobs").forEach(job -> job.path("steps").forEach(steps::add));
        return steps;
    }

    static JsonNode step(JsonNode workflow, String uses) {
        return steps(workflow).stream()
                .filter(s -> s.path("uses").asString("").startsWith(uses + "@"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no step uses " + uses));
    }

    static String runScripts(JsonNode workflow) {
        return String.join(
                "\n", steps(workflow).stream().map(s -> s.path("run").asString("")).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ci.yaml", "release.yaml"})
    void isAValidWorkflowBySchemaStoresSchema(String file) throws IOException {
        List<String> problems =
                workflowSchema.validate(workflow(file)).stream().map(Error::toString).toList();
        assertThat(problems).as(file).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ci.yaml", "release.yaml"})
    void everyActionIsPinnedToAVersion(String file) throws IOException {
        JsonNode workflow = workflow(file);
        List<String> uses = new ArrayList<>();
        steps(workflow).forEach(s -> uses.add(s.path("uses").asString("")));
        workflow.path("jobs").forEach(job -> uses.add(job.path("uses").asString("")));
        for (String action : uses) {
            if (action.isEmpty()) {
                continue;
            }
            if (action.startsWith("./")) {
                assertThat(REPOSITORY.resolve(action)).as(file + ": " + action).isRegularFile();
            } else {
                assertThat(action).as(file).matches(PINNED);
            }
        }
    }

    @Test
    void ciTestsEveryPushAndPullRequestWithTheCiScript() throws IOException {
        JsonNode ci = workflow("ci.yaml");

        assertThat(ci.path("on").has("push")).isTrue();
        assertThat(ci.at("/on/push/tags").isMissingNode()).isTrue();
        assertThat(ci.path("on").has("pull_request")).isTrue();
        assertThat(ci.path("on").has("workflow_call")).as("release.yaml calls it").isTrue();
        assertThat(runScripts(ci)).contains("bash .ci/run");
        assertThat(REPOSITORY.resolve(".ci/run")).isRegularFile().isExecutable();
    }

    @Test
    void releaseRunsOnVersionTagsAfterTheTests() throws IOException {
        JsonNode release = workflow("release.yaml");

        assertThat(release.at("/on/push/tags/0").asString()).isEqualTo("v*");
        assertThat(release.at("/jobs/test/uses").asString())
                .isEqualTo("./.github/workflows/ci.yaml");
        assertThat(release.at("/jobs/release/needs").asString()).isEqualTo("test");
        assertThat(release.at("/jobs/release/permissions/contents").asString()).isEqualTo("write");
        assertThat(release.at("/jobs/release/permissions/packages").asString()).isEqualTo("write");
    }

    @Test
    void releaseBuildsTheJarWithTheTagsVersion() throws IOException {
        String scripts = runScripts(workflow("release.yaml"));

        assertThat(scripts).contains("version=\"${GITHUB_REF_NAME#v}\"");
        assertThat(scripts).contains("<revision>").contains("$version-SNAPSHOT");
        assertThat(scripts).contains("mvn -B -DskipTests -Drevision=\"$VERSION\" package");
        assertThat(Files.readString(REPOSITORY.resolve("pom.xml")))
                .contains("<version>${revision}</version>")
                .containsPattern("<revision>\\d+\\.\\d+\\.\\d+-SNAPSHOT</revision>");
    }

    @Test
    void releasePushesBothArchitecturesOfTheDockerfilesImage() throws IOException {
        JsonNode release = workflow("release.yaml");
        JsonNode build = step(release, "docker/build-push-action").path("with");

        assertThat(build.path("platforms").asString().split(","))
                .containsExactlyInAnyOrder("linux/amd64", "linux/arm64");
        assertThat(build.path("push").asBoolean()).isTrue();
        assertThat(REPOSITORY.resolve(build.path("file").asString())).isRegularFile();
        assertThat(build.path("tags").asString().lines())
                .containsExactly("${{ env.IMAGE }}:${{ env.VERSION }}", "${{ env.IMAGE }}:latest");
        step(release, "docker/setup-qemu-action");
        step(release, "docker/setup-buildx-action");
        assertThat(step(release, "docker/login-action").at("/with/registry").asString())
                .isEqualTo("ghcr.io");
        assertThat(runScripts(release))
                .contains("image=\"$(echo \"ghcr.io/$GITHUB_REPOSITORY\"")
                .contains(
                        "grep -q \"image: $image:$version\\$\""
                                + " wasm-executor-plugin-configmap.yaml");
    }

    @Test
    void theImageIsBuiltFromTheJarTheReleaseBuilds() throws IOException {
        String dockerfile = Files.readString(REPOSITORY.resolve("Dockerfile"));

        assertThat(dockerfile)
                .contains("COPY " + BuildOutputs.JAR + " ")
                // The training run records the AOT cache the entrypoint then uses.
                .contains("--exit-after-warmup")
                .contains("-XX:AOTCacheOutput=/opt/wasm-executor-plugin/wasm-executor-plugin.aot ")
                .contains("\"-XX:AOTCache=/opt/wasm-executor-plugin/wasm-executor-plugin.aot\"");
    }

    @Test
    void releaseAttachesTheJarTheConfigMapAndTheManifests() throws Exception {
        JsonNode release = workflow("release.yaml");
        JsonNode publish = step(release, "softprops/action-gh-release").path("with");
        List<String> files = publish.path("files").asString().lines().toList();

        assertThat(publish.path("fail_on_unmatched_files").asBoolean()).isTrue();
        assertThat(files)
                .containsExactly(
                        BuildOutputs.JAR,
                        "wasm-executor-plugin-configmap.yaml",
                        "manifests/rbac.yaml",
                        "wasm-executor-plugin-manifests.tar.gz");
        assertThat(BuildOutputs.jarFromShadeConfiguration()).isEqualTo(BuildOutputs.JAR);
        assertThat(REPOSITORY.resolve("wasm-executor-plugin-configmap.yaml")).isRegularFile();
        assertThat(REPOSITORY.resolve("manifests/rbac.yaml")).isRegularFile();
        assertThat(runScripts(release))
                .contains("tar czf wasm-executor-plugin-manifests.tar.gz manifests");
    }

    @Test
    void workflowsHoldNoOtherFiles() throws IOException {
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("ci.yaml", "release.yaml");
        }
    }
}
