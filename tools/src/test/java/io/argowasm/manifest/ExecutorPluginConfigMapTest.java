package io.argowasm.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class ExecutorPluginConfigMapTest {

    private static final Path REPOSITORY = Path.of("..");
    private static final Path MANIFEST = REPOSITORY.resolve("argo-plugin.yaml");
    private static final Path COMMITTED = REPOSITORY.resolve("wasm-executor-plugin-configmap.yaml");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** A manifest Argo accepts, with the fields the validation tests take away. */
    private static final String VALID =
            """
            apiVersion: argoproj.io/v1alpha1
            kind: ExecutorPlugin
            metadata:
              name: demo
            spec:
              sidecar:
                container:
                  name: demo-executor-plugin
                  image: demo:1
                  ports:
                    - containerPort: 4355
                  resources:
                    requests: {cpu: 100m, memory: 64Mi}
                    limits: {cpu: 200m, memory: 128Mi}
                  securityContext:
                    runAsNonRoot: true
            """;

    @Test
    void committedConfigMapIsWhatTheManifestGenerates() throws Exception {
        String fresh = ExecutorPluginConfigMap.render(Files.readString(MANIFEST));

        assertThat(Files.readString(COMMITTED))
                .as(
                        "wasm-executor-plugin-configmap.yaml is out of date with argo-plugin.yaml;"
                                + " regenerate it from the repository root with: mvn -B -q -pl"
                                + " tools process-classes && cp"
                                + " tools/target/wasm-executor-plugin-configmap.yaml .")
                .isEqualTo(fresh);
    }

    @Test
    void committedConfigMapCarriesThePluginForTheController() throws Exception {
        JsonNode configMap = YAML.readTree(Files.readString(COMMITTED));
        JsonNode manifest = YAML.readTree(Files.readString(MANIFEST));

        assertThat(configMap.at("/metadata/name").stringValue()).isEqualTo("wasm-executor-plugin");
        assertThat(
                        configMap
                                .at("/metadata/labels/workflows.argoproj.io~1configmap-type")
                                .stringValue())
                .isEqualTo("ExecutorPlugin");
        assertThat(configMap.at("/metadata/annotations"))
                .isEqualTo(manifest.at("/metadata/annotations"));
        assertThat(configMap.at("/data/sidecar.automountServiceAccountToken").stringValue())
                .isEqualTo("true");
    }

    @Test
    void sidecarContainerReadsBackAsTheManifestContainer() throws Exception {
        JsonNode configMap = YAML.readTree(Files.readString(COMMITTED));
        JsonNode manifest = YAML.readTree(Files.readString(MANIFEST));

        JsonNode container = YAML.readTree(configMap.at("/data/sidecar.container").stringValue());

        assertThat(container).isEqualTo(manifest.at("/spec/sidecar/container"));
    }

    /** The case of TestToConfigMap in Argo's workflow/util/plugin/configmap_test.go. */
    @Test
    void writesWhatArgoWritesForItsOwnExample() {
        String manifest =
                """
                kind: ExecutorPlugin
                metadata:
                  name: my-plug
                  annotations: {my-anno: my-value}
                  labels: {my-label: my-value}
                spec:
                  sidecar:
                    automountServiceAccountToken: true
                    container:
                      ports: [{containerPort: 1234}]
                      resources: {limits: {}, requests: {}}
                      securityContext: {}
                """;

        JsonNode configMap = YAML.readTree(ExecutorPluginConfigMap.render(manifest));

        assertThat(configMap.at("/metadata/name").stringValue())
                .isEqualTo("my-plug-executor-plugin");
        assertThat(configMap.at("/metadata/labels"))
                .isEqualTo(
                        YAML.readTree(
                                "{my-label: my-value, workflows.argoproj.io/configmap-type:"
                                        + " ExecutorPlugin}"));
        assertThat(configMap.at("/metadata/annotations").size()).isEqualTo(1);
        assertThat(configMap.at("/data/sidecar.automountServiceAccountToken").stringValue())
                .isEqualTo("true");
        assertThat(configMap.at("/data/sidecar.container").stringValue())
                .isEqualTo(
                        "name: \"\"\n"
                                + "ports:\n"
                                + "- containerPort: 1234\n"
                                + "resources: {}\n"
                                + "securityContext: {}\n");
    }

    @Test
    void writesTheFileArgoWritesKeysSortedAndHeaderFirst() {
        String configMap = ExecutorPluginConfigMap.render(VALID);

        assertThat(configMap)
                .isEqualTo(
                        """
                        # This is an auto-generated file. DO NOT EDIT
                        apiVersion: v1
                        data:
                          sidecar.automountServiceAccountToken: "false"
                          sidecar.container: |
                            image: demo:1
                            name: demo-executor-plugin
                            ports:
                            - containerPort: 4355
                            resources:
                              limits:
                                cpu: 200m
                                memory: 128Mi
                              requests:
                                cpu: 100m
                                memory: 64Mi
                            securityContext:
                              runAsNonRoot: true
                        kind: ConfigMap
                        metadata:
                          labels:
                            workflows.argoproj.io/configmap-type: ExecutorPlugin
                          name: demo-executor-plugin
                        """);
    }

    @Test
    void writesQuantitiesAndEmptyFieldsAsKubernetesDoes() {
        String manifest =
                VALID.replace("{cpu: 200m, memory: 128Mi}", "{cpu: 2, memory: 1024Mi}")
                        .replace("{cpu: 100m, memory: 64Mi}", "{cpu: 0.5, memory: 0.5Gi}")
                        .replace(
                                "image: demo:1",
                                "image: demo:1\n      command: []\n      tty: false");

        JsonNode container =
                YAML.readTree(
                        YAML.readTree(ExecutorPluginConfigMap.render(manifest))
                                .at("/data/sidecar.container")
                                .stringValue());

        assertThat(container.at("/resources/limits/cpu").isString()).isTrue();
        assertThat(container.at("/resources/limits/cpu").stringValue()).isEqualTo("2");
        assertThat(container.at("/resources/limits/memory").stringValue()).isEqualTo("1Gi");
        assertThat(container.at("/resources/requests/cpu").stringValue()).isEqualTo("500m");
        assertThat(container.at("/resources/requests/memory").stringValue()).isEqualTo("512Mi");
        assertThat(container.has("command")).isFalse();
        assertThat(container.has("tty")).isFalse();
    }

    static Stream<Arguments> containersArgoRefuses() {
        String ports = "ports: [{containerPort: 4355}]\n";
        String resources = "resources: {requests: {cpu: 100m}, limits: {cpu: 200m}}\n";
        String security = "securityContext: {runAsNonRoot: true}\n";
        return Stream.of(
                arguments("no ports", resources + security, "at least one port is mandatory"),
                arguments(
                        "an empty port list",
                        "ports: []\n" + resources + security,
                        "at least one port is mandatory"),
                arguments(
                        "no resource requests",
                        ports + "resources: {limits: {cpu: 200m}}\n" + security,
                        "resources requests are mandatory"),
                arguments(
                        "no resource limits",
                        ports + "resources: {requests: {cpu: 100m}}\n" + security,
                        "resources limits are mandatory"),
                arguments("no resources", ports + security, "resources requests are mandatory"),
                arguments(
                        "no security context", ports + resources, "security context is mandatory"),
                arguments(
                        "a misspelt field",
                        ports + resources + security + "readinesProbe: {}\n",
                        "unknown field 'readinesProbe'"),
                arguments(
                        "a quantity that is not one",
                        ports
                                + "resources: {requests: {cpu: lots}, limits: {cpu: 200m}}\n"
                                + security,
                        "resources.requests.cpu: 'lots' is not a resource quantity"),
                arguments(
                        "a tab Kubernetes would escape",
                        ports + resources + security + "args: [\"a\\tb\"]\n",
                        "spec.sidecar.container.args[0] contains the character U+0009"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containersArgoRefuses")
    void refusesContainersWith(String what, String container, String message) {
        String manifest = manifestWithContainer(container);

        assertThatThrownBy(() -> ExecutorPluginConfigMap.render(manifest))
                .isInstanceOf(InvalidPluginManifestException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesAManifestOfAnotherKind() {
        String manifest = VALID.replace("kind: ExecutorPlugin", "kind: Plugin");

        assertThatThrownBy(() -> ExecutorPluginConfigMap.render(manifest))
                .isInstanceOf(InvalidPluginManifestException.class)
                .hasMessageContaining("kind: ExecutorPlugin");
    }

    @Test
    void refusesDuplicateKeysAsArgosStrictReadingDoes() {
        String manifest = VALID.replace("  name: demo\n", "  name: demo\n  name: other\n");

        assertThatThrownBy(() -> ExecutorPluginConfigMap.render(manifest))
                .isInstanceOf(InvalidPluginManifestException.class)
                .hasMessageContaining("Duplicate Object property \"name\" (line 5");
    }

    @Test
    void mainWritesTheConfigMapFile(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("plugin.yaml");
        Files.writeString(manifest, VALID);
        Path output = dir.resolve("out/demo-executor-plugin-configmap.yaml");

        ExecutorPluginConfigMap.main(new String[] {manifest.toString(), output.toString()});

        assertThat(output).hasContent(ExecutorPluginConfigMap.render(VALID));
    }

    @Test
    void mainNamesTheManifestItRefuses(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("plugin.yaml");
        Files.writeString(manifest, manifestWithContainer("name: x\n"));
        String[] args = {manifest.toString(), dir.resolve("out.yaml").toString()};

        assertThatThrownBy(() -> ExecutorPluginConfigMap.main(args))
                .isInstanceOf(InvalidPluginManifestException.class)
                .hasMessageStartingWith(manifest + ": spec.sidecar.container");
        assertThat(dir.resolve("out.yaml")).doesNotExist();
    }

    private static String manifestWithContainer(String container) {
        return """
        apiVersion: argoproj.io/v1alpha1
        kind: ExecutorPlugin
        metadata:
          name: demo
        spec:
          sidecar:
            container:
        """
                + container.indent(6);
    }
}
