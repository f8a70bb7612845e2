package io.argowasm.artifacts.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.artifacts.WorkflowRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class RegistrySecretsTest {
    private static final String NAMESPACE = "team-a";
    private static final WorkflowRef WORKFLOW = new WorkflowRef("build-x1", NAMESPACE, "uid-1");

    KubernetesClient client;

    private void secret(String name, String type, String key, String json) {
        client.secrets()
                .inNamespace(NAMESPACE)
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .withType(type)
                                .addToData(
                                        key,
                                        Base64.getEncoder()
                                                .encodeToString(
                                                        json.getBytes(StandardCharsets.UTF_8)))
                                .build())
                .create();
    }

    private void workflow(Map<String, Object> spec, Map<String, Object> status) {
        GenericKubernetesResourceBuilder builder =
                new GenericKubernetesResourceBuilder()
                        .withApiVersion("argoproj.io/v1alpha1")
                        .withKind("Workflow")
                        .withNewMetadata()
                        .withName(WORKFLOW.name())
                        .withNamespace(NAMESPACE)
                        .endMetadata()
                        .addToAdditionalProperties("spec", spec);
        if (status != null) {
            builder.addToAdditionalProperties("status", status);
        }
        client.genericKubernetesResources(ArgoResources.WORKFLOWS)
                .inNamespace(NAMESPACE)
                .resource(builder.build())
                .create();
    }

    private RegistrySecrets secrets() {
        return new RegistrySecrets(client, Duration.ZERO, Clock.systemUTC());
    }

    private static List<Map<String, String>> names(String... names) {
        return java.util.Arrays.stream(names).map(n -> Map.of("name", n)).toList();
    }

    @Test
    void theNamedSecretComesFirstThenTheWorkflowsAndItsTemplatesPullSecrets() {
        secret("named", RegistrySecrets.DOCKER_CONFIG_JSON, ".dockerconfigjson", "{\"n\":1}");
        secret("on-spec", RegistrySecrets.DOCKER_CONFIG_JSON, ".dockerconfigjson", "{\"s\":1}");
        secret("legacy", RegistrySecrets.DOCKER_CFG, ".dockercfg", "{\"l\":1}");
        workflow(
                Map.of("imagePullSecrets", names("on-spec", "named", "missing")),
                Map.of("storedWorkflowTemplateSpec", Map.of("imagePullSecrets", names("legacy"))));

        List<RegistrySecrets.DockerConfig> configs = secrets().forWorkflow(WORKFLOW, "named");

        assertThat(configs)
                .extracting(RegistrySecrets.DockerConfig::json)
                .as("a missing image pull secret is skipped, as for pods")
                .containsExactly("{\"n\":1}", "{\"s\":1}", "{\"l\":1}");
        assertThat(configs.get(0).source()).isEqualTo("module.pullSecret Secret team-a/named");
        assertThat(configs.get(2).source()).isEqualTo("imagePullSecrets Secret team-a/legacy");
    }

    @Test
    void withoutTheWorkflowOnlyTheNamedSecretIsRead() {
        secret("named", RegistrySecrets.DOCKER_CONFIG_JSON, ".dockerconfigjson", "{\"n\":1}");
        assertThat(secrets().forWorkflow(WORKFLOW, "named"))
                .extracting(RegistrySecrets.DockerConfig::json)
                .containsExactly("{\"n\":1}");
        assertThat(secrets().forWorkflow(WORKFLOW, null)).isEmpty();
    }

    @Test
    void aNamedSecretThatIsMissingOrOfAnotherTypeIsAnError() {
        secret("opaque", "Opaque", "password", "x");
        assertThatThrownBy(() -> secrets().forWorkflow(WORKFLOW, "nowhere"))
                .isInstanceOf(RegistrySecrets.SecretException.class)
                .hasMessageContaining("module.pullSecret Secret team-a/nowhere does not exist")
                .hasMessageContaining("kubectl create secret docker-registry nowhere -n team-a");
        assertThatThrownBy(() -> secrets().forWorkflow(WORKFLOW, "opaque"))
                .hasMessageContaining("is of type 'Opaque', not kubernetes.io/dockerconfigjson");
    }
}
