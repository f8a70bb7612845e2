package io.argowasm.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.argowasm.manifest.KustomizeBaseConfigMap;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code manifests/} is a kustomize base that installs the plugin ({@code kubectl apply -k
 * manifests/}): it lists only files that are there, its ConfigMap is the generated one, and its
 * {@code images:} entry is what sets the sidecar's image.
 */
class KustomizeBaseTest {

    private static final Path REPOSITORY = Path.of("..");
    private static final Path BASE = REPOSITORY.resolve("manifests");
    private static final Path CONFIG_MAP = BASE.resolve("wasm-executor-plugin-configmap.yaml");
    private static final Path ROOT_CONFIG_MAP =
            REPOSITORY.resolve("wasm-executor-plugin-configmap.yaml");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    static JsonNode kustomization() throws IOException {
        return YAML.readTree(Files.readString(BASE.resolve("kustomization.yaml")));
    }

    static JsonNode container(Path configMap) throws IOException {
        String text =
                YAML.readTree(Files.readString(configMap)).at("/data/sidecar.container").asString();
        return YAML.readTree(text);
    }

    @Test
    void committedConfigMapIsWhatTheManifestGenerates() throws IOException {
        String fresh =
                KustomizeBaseConfigMap.render(
                        Files.readString(REPOSITORY.resolve("argo-plugin.yaml")));

        assertThat(Files.readString(CONFIG_MAP))
                .as(
                        "manifests/wasm-executor-plugin-configmap.yaml is out of date with"
                            + " argo-plugin.yaml; regenerate it from the repository root with: mvn"
                            + " -B -q -pl tools process-classes && cp"
                            + " tools/target/manifests/wasm-executor-plugin-configmap.yaml"
                            + " manifests/")
                .isEqualTo(fresh);
    }

    @Test
    void configMapIsTheRootConfigMapWithTheImageLineLast() throws IOException {
        JsonNode base = YAML.readTree(Files.readString(CONFIG_MAP));
        JsonNode root = YAML.readTree(Files.readString(ROOT_CONFIG_MAP));
        String containerText = base.at("/data/sidecar.container").asString();

        assertThat(base.path("metadata")).isEqualTo(root.path("metadata"));
        assertThat(base.at("/data/sidecar.automountServiceAccountToken"))
                .isEqualTo(root.at("/data/sidecar.automountServiceAccountToken"));
        assertThat(container(CONFIG_MAP)).isEqualTo(container(ROOT_CONFIG_MAP));
        assertThat(containerText.split("image: ", -1)).hasSize(2);
        List<String> lines = containerText.lines().toList();
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("image: " + container(ROOT_CONFIG_MAP).path("image").asString());
    }

    @Test
    void kustomizationListsEveryManifestAndNothingElse() throws IOException {
        List<String> resources = new ArrayList<>();
        kustomization().path("resources").forEach(r -> resources.add(r.asString()));
        List<String> manifests;
        try (Stream<Path> files = Files.list(BASE)) {
            manifests =
                    files.map(f -> f.getFileName().toString())
                            .filter(name -> name.endsWith(".yaml"))
                            .filter(name -> !name.equals("kustomization.yaml"))
                            .toList();
        }

        assertThat(resources).containsExactlyInAnyOrderElementsOf(manifests);
        assertThat(resources).contains("rbac.yaml", "wasm-executor-plugin-configmap.yaml");
        for (String resource : resources) {
            assertThat(BASE.resolve(resource)).isRegularFile();
        }
    }

    @Test
    void imagesEntryNamesTheConfigMapsImage() throws IOException {
        String image = container(ROOT_CONFIG_MAP).path("image").asString();
        JsonNode images = kustomization().path("images");
        JsonNode holder = YAML.readTree(Files.readString(BASE.resolve("sidecar-image.yaml")));

        assertThat(images).hasSize(1);
        assertThat(images.at("/0/name").asString() + ":" + images.at("/0/newTag").asString())
                .isEqualTo(image);
        assertThat(holder.at("/spec/containers/0/image").asString())
                .isEqualTo(images.at("/0/name").asString());
        assertThat(holder.at("/metadata/annotations/config.kubernetes.io~1local-config").asString())
                .as("the image holder must never be applied")
                .isEqualTo("true");
    }

    @Test
    void kustomizeBuildsThePluginWithTheImageOfTheImagesEntry(@TempDir Path copy) throws Exception {
        List<String> kustomize = kustomizeCommand();
        String image = container(ROOT_CONFIG_MAP).path("image").asString();

        List<JsonNode> built = build(kustomize, BASE);
        assertThat(built).extracting(d -> d.path("kind").asString()).doesNotContain("Pod");
        assertThat(built)
                .allSatisfy(
                        d -> assertThat(d.at("/metadata/namespace").asString()).isEqualTo("argo"));
        assertThat(builtImage(built)).isEqualTo(image);

        // What `kustomize edit set image ...=registry.example/wasm:9.9.9` writes.
        try (Stream<Path> files = Files.list(BASE)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Path kustomization = copy.resolve("kustomization.yaml");
        Files.writeString(
                kustomization,
                Files.readString(kustomization)
                        .replace(
                                "    newTag: " + image.substring(image.lastIndexOf(':') + 1),
                                "    newName: registry.example/wasm\n    newTag: 9.9.9"));
        assertThat(builtImage(build(kustomize, copy))).isEqualTo("registry.example/wasm:9.9.9");
    }

    private static String builtImage(List<JsonNode> built) {
        JsonNode configMap =
                built.stream()
                        .filter(d -> d.path("kind").asString().equals("ConfigMap"))
                        .findFirst()
                        .orElseThrow();
        return YAML.readTree(configMap.at("/data/sidecar.container").asString())
                .path("image")
                .asString();
    }

    /**
     * {@code kustomize build}, or {@code kubectl kustomize}; skips visibly when neither is there.
     */
    private static List<String> kustomizeCommand() {
        Optional<List<String>> command =
                Stream.of(List.of("kustomize", "build"), List.of("kubectl", "kustomize"))
                        .filter(c -> onPath(c.get(0)))
                        .findFirst();
        assumeTrue(
                command.isPresent(),
                "kustomize build of manifests/ not checked: neither kustomize nor kubectl is on"
                        + " the PATH (install kubectl 1.27 or later)");
        return command.get();
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static List<JsonNode> build(List<String> kustomize, Path base) throws Exception {
        List<String> command = new ArrayList<>(kustomize);
        command.add(base.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                YAML.readValues(YAML.createParser(output), JsonNode.class)) {
            it.forEachRemaining(documents::add);
        }
        return documents;
    }
}
