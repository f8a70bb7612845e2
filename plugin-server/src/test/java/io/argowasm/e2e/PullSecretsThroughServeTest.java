package io.argowasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.cli.Main;
import io.argowasm.module.oci.LocalRegistry;
import io.argowasm.module.oci.TokenServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Private modules through a real {@code serve} process: the registry is Debian's docker-registry
 * under token auth, the cluster is fabric8's mock API server holding the pull Secrets and the
 * Workflows, and the sidecar reads them as it does in a cluster, with its own Kubernetes client.
 */
@EnableKubernetesMockClient(crud = true)
class PullSecretsThroughServeTest {

    private static final String NAMESPACE = "argo";
    private static final Duration PATIENCE = Duration.ofMinutes(1);
    private static final ResourceDefinitionContext WORKFLOWS =
            new ResourceDefinitionContext.Builder()
                    .withGroup("argoproj.io")
                    .withVersion("v1alpha1")
                    .withKind("Workflow")
                    .withPlural("workflows")
                    .withNamespaced(true)
                    .build();

    /**
     * The usage example of the earlier Rust plugin's README (Shark/wasm-workflows-plugin), with
     * only the registry host changed; its ferris-says module is replaced by textstats, which
     * answers the same operation and parameter.
     */
    private static final String EARLIER_PLUGIN_WORKFLOW =
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              generateName: wasm-
            spec:
              entrypoint: wasm
              arguments:
                parameters:
                  - name: text
                    value: Hello World from WebAssembly
              templates:
                - name: wasm
                  inputs:
                    parameters:
                      - name: text
                  plugin:
                    wasm:
                      module:
                        oci: REGISTRY/shark/wasm-workflow-executor-example-ferris-says:latest
            """;

    static KubernetesClient client;

    @TempDir static Path dir;
    private static TokenServer tokens;
    private static LocalRegistry registry;
    private static SidecarProcess sidecar;
    private static AgentClient agent;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(LocalRegistry.available(), "docker-registry is not installed");
        tokens = TokenServer.start(Files.createDirectories(dir.resolve("tokens")));
        registry =
                LocalRegistry.startWithTokens(
                        Files.createDirectories(dir.resolve("registry")), tokens);
        Path login = Files.writeString(dir.resolve("config.json"), dockerConfig("s3cret"));
        Path greet = TestModules.example("greet/greet");
        for (String repository : List.of("named", "workflow", "wrong", "none")) {
            push(greet, "team/" + repository + ":v1", login);
        }
        push(
                TestModules.example("textstats/textstats"),
                "shark/wasm-workflow-executor-example-ferris-says:latest",
                login);

        pullSecret("registry-login", dockerConfig(TokenServer.PASSWORD));
        pullSecret("wrong-login", dockerConfig("not-the-password"));
        client.secrets()
                .inNamespace(NAMESPACE)
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("opaque")
                                .endMetadata()
                                .withType("Opaque")
                                .addToStringData("password", "x")
                                .build())
                .create();
        workflow("wf-secrets", List.of("registry-login"));
        workflow("wf-plain", List.of());

        sidecar =
                SidecarProcess.start(
                        List.of(
                                "-Dkubernetes.master=" + client.getMasterUrl(),
                                "-Dkubernetes.trust.certificates=true",
                                "-Dkubernetes.auth.tryKubeConfig=false",
                                "-Dkubernetes.auth.tryServiceAccount=false",
                                "-Dkubernetes.namespace=" + NAMESPACE),
                        List.of(
                                "--no-auth",
                                "--cluster-pull-secrets",
                                "--allow-private-module-hosts",
                                "--allow-insecure-registries",
                                "127.0.0.1"),
                        Map.of(),
                        dir.resolve("sidecar.log"));
        agent = new AgentClient(sidecar.port(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sidecar != null) {
            sidecar.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    private static String dockerConfig(String password) {
        String auth =
                Base64.getEncoder()
                        .encodeToString(
                                (TokenServer.USER + ":" + password)
                                        .getBytes(StandardCharsets.UTF_8));
        return "{\"auths\": {\"%s\": {\"auth\": \"%s\"}}}".formatted(registry.address(), auth);
    }

    private static void push(Path module, String repository, Path login) {
        StringWriter err = new StringWriter();
        CommandLine push = Main.commandLine();
        push.setOut(new PrintWriter(new StringWriter(), true));
        push.setErr(new PrintWriter(err, true));
        int code =
                push.execute(
                        "push",
                        module.toString(),
                        registry.address() + "/" + repository,
                        "--registry-config",
                        login.toString(),
                        "--allow-insecure-registries",
                        "127.0.0.1");
        assertThat(code).as(err.toString()).isZero();
    }

    private static void pullSecret(String name, String dockerConfigJson) {
        client.secrets()
                .inNamespace(NAMESPACE)
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .withType("kubernetes.io/dockerconfigjson")
                                .addToData(
                                        ".dockerconfigjson",
                                        Base64.getEncoder()
                                                .encodeToString(
                                                        dockerConfigJson.getBytes(
                                                                StandardCharsets.UTF_8)))
                                .build())
                .create();
    }

    private static void workflow(String name, List<String> imagePullSecrets) {
        client.genericKubernetesResources(WORKFLOWS)
                .inNamespace(NAMESPACE)
                .resource(
                        new GenericKubernetesResourceBuilder()
                                .withApiVersion("argoproj.io/v1alpha1")
                                .withKind("Workflow")
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(NAMESPACE)
                                .endMetadata()
                                .addToAdditionalProperties(
                                        "spec",
                                        Map.of(
                                                "entrypoint",
                                                "main",
                                                "imagePullSecrets",
                                                imagePullSecrets.stream()
                                                        .map(s -> Map.of("name", s))
                                                        .toList()))
                                .build())
                .create();
    }

    /** The agent's request for a greet step of {@code workflow} with this module block. */
    private static JsonNode greetStep(String workflow, String template, String module)
            throws Exception {
        return Json.mapper()
                .readTree(
                        """
                        {"workflow": {"metadata": {"name": "%s", "namespace": "%s", "uid": "%s"}},
                         "template": {"name": "%s",
                          "inputs": {"parameters": [{"name": "text", "value": "private"}]},
                          "outputs": {"parameters": [{"name": "greeting"}]},
                          "plugin": {"wasm": {"module": %s, "operation": "greet",
                                              "options": {"style": "loud"}}}}}
                        """
                                .formatted(
                                        workflow, NAMESPACE, UUID.randomUUID(), template, module));
    }

    private String oci(String repository) {
        return registry.address() + "/team/" + repository + ":v1";
    }

    @Test
    void theSecretTheTemplateNamesGivesTheLogin() throws Exception {
        JsonNode node =
                agent.execute(
                        greetStep(
                                "wf-plain",
                                "named",
                                "{\"oci\": \"%s\", \"pullSecret\": \"registry-login\"}"
                                        .formatted(oci("named"))),
                        PATIENCE);
        assertThat(node.path("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        assertThat(node.at("/outputs/parameters/0/value").asString()).isEqualTo("PRIVATE");
    }

    @Test
    void theWorkflowsImagePullSecretsGiveTheLogin() throws Exception {
        JsonNode node =
                agent.execute(
                        greetStep(
                                "wf-secrets",
                                "workflow",
                                "{\"oci\": \"%s\"}".formatted(oci("workflow"))),
                        PATIENCE);
        assertThat(node.path("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        assertThat(node.at("/outputs/parameters/0/value").asString()).isEqualTo("PRIVATE");
    }

    @Test
    void aWrongLoginIsRefusedByTheTokenService() throws Exception {
        JsonNode node =
                agent.execute(
                        greetStep(
                                "wf-plain",
                                "wrong",
                                "{\"oci\": \"%s\", \"pullSecret\": \"wrong-login\"}"
                                        .formatted(oci("wrong"))),
                        PATIENCE);
        assertThat(node.path("phase").asString()).isEqualTo("Failed");
        assertThat(node.path("message").asString())
                .contains("module oci " + oci("wrong"))
                .contains("refused the login's repository:team/wrong:pull token (HTTP 401)")
                .contains("pull secret");
    }

    @Test
    void withoutALoginThePullIsRefusedSayingWhereToGiveOne() throws Exception {
        JsonNode node =
                agent.execute(
                        greetStep("wf-plain", "none", "{\"oci\": \"%s\"}".formatted(oci("none"))),
                        PATIENCE);
        assertThat(node.path("phase").asString()).isEqualTo("Failed");
        assertThat(node.path("message").asString())
                .contains("refused the anonymous pull (HTTP 401)")
                .contains("pull secret");
    }

    @Test
    void aNamedSecretThatIsMissingOrNotAPullSecretIsNamed() throws Exception {
        JsonNode missing =
                agent.execute(
                        greetStep(
                                "wf-plain",
                                "missing",
                                "{\"oci\": \"%s\", \"pullSecret\": \"no-such-login\"}"
                                        .formatted(oci("none"))),
                        PATIENCE);
        assertThat(missing.path("phase").asString()).isEqualTo("Failed");
        assertThat(missing.path("message").asString())
                .contains("module.pullSecret Secret argo/no-such-login does not exist")
                .contains("kubectl create secret docker-registry no-such-login -n argo");

        JsonNode opaque =
                agent.execute(
                        greetStep(
                                "wf-plain",
                                "opaque",
                                "{\"oci\": \"%s\", \"pullSecret\": \"opaque\"}"
                                        .formatted(oci("none"))),
                        PATIENCE);
        assertThat(opaque.path("phase").asString()).isEqualTo("Failed");
        assertThat(opaque.path("message").asString())
                .contains("Secret argo/opaque is of type 'Opaque'")
                .contains("kubernetes.io/dockerconfigjson");
    }

    @Test
    void theEarlierPluginsReadmeTemplateRunsWithOnlyTheRegistryChanged() throws Exception {
        JsonNode workflow =
                new YAMLMapper()
                        .readTree(EARLIER_PLUGIN_WORKFLOW.replace("REGISTRY", registry.address()));
        // What the controller sends: the template with the workflow's argument substituted.
        ObjectNode template = (ObjectNode) workflow.at("/spec/templates/0").deepCopy();
        ((ObjectNode) template.at("/inputs/parameters/0"))
                .put("value", workflow.at("/spec/arguments/parameters/0/value").asString());
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("workflow")
                .putObject("metadata")
                .put("name", "wf-secrets")
                .put("namespace", NAMESPACE)
                .put("uid", UUID.randomUUID().toString());
        body.set("template", template);

        JsonNode node = agent.execute(body, PATIENCE);
        assertThat(node.path("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        assertThat(node.path("message").asString()).contains("4 words");
    }
}
