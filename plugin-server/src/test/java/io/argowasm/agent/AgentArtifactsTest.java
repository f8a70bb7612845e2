package io.argowasm.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.S3ProxyServer;
import io.argowasm.artifacts.kubernetes.KubernetesRepositoryResolver;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A task with parameters and artifacts through the agent: the repository is found in the cluster
 * (the mock's ConfigMap and Secret, read with the agent's own client), the objects live in an
 * S3Proxy, the guest is the wordcount example; the node written carries both outputs.
 */
@EnableKubernetesMockClient(crud = true)
class AgentArtifactsTest {

    private static final String BUCKET = "artifacts";
    private static final String TEXT = "a quick brown fox\njumps over an old dog\n";

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir Path scratch;

    @Test
    void aTaskWithParametersAndArtifactsIsWrittenWithBothOutputs() throws Exception {
        server.expectCustomResource(TaskSetAgentTest.CRD);
        try (S3ProxyServer s3 = S3ProxyServer.start()) {
            MinioClient admin =
                    MinioClient.builder()
                            .endpoint(s3.endpoint())
                            .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
                            .build();
            admin.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
            byte[] text = TEXT.getBytes(StandardCharsets.UTF_8);
            admin.putObject(
                    PutObjectArgs.builder().bucket(BUCKET).object("in/text.txt").stream(
                                    new ByteArrayInputStream(text), (long) text.length, null)
                            .build());
            repository(s3.endpoint().substring("http://".length()));

            KubernetesClient own = server.createClient();
            ModuleStore store =
                    new ModuleStore(
                            new ModuleFetcher(64L << 20, Duration.ofSeconds(10)), 64L << 20, 16);
            TemplateExecutor executor =
                    TemplateExecutor.builder(Json.mapper(), store)
                            .artifacts(
                                    ArtifactWorkspaces.builder(
                                                    KubernetesRepositoryResolver.builder(own)
                                                            .build())
                                            .temporaryRoot(scratch)
                                            .build())
                            .build();
            TaskSetAgent agent =
                    new TaskSetAgent(
                            own,
                            AgentSettings.defaults(),
                            new WasmTasks(executor),
                            null,
                            ShardOwnership.all());
            try {
                agent.start();
                FakeController controller = new FakeController(client);
                controller.create("argo", "etl", Map.of("etl-1", wordcount()));

                JsonNode node =
                        controller
                                .awaitResults(
                                        "argo", "etl", List.of("etl-1"), TaskSetAgentTest.PATIENCE)
                                .get("etl-1");

                assertThat(node.path("phase").asString())
                        .as(node.toString())
                        .isEqualTo("Succeeded");
                assertThat(node.at("/outputs/parameters/0/name").asString()).isEqualTo("total");
                assertThat(node.at("/outputs/parameters/0/value").asString()).isEqualTo("7");
                JsonNode counts = node.at("/outputs/artifacts/0");
                assertThat(counts.path("name").asString()).isEqualTo("counts");
                String key = counts.at("/s3/key").asString();
                assertThat(key).startsWith("etl/");
                try (InputStream in =
                        admin.getObject(
                                GetObjectArgs.builder().bucket(BUCKET).object(key).build())) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .isEqualTo("{\"words\":7,\"lines\":2,\"bytes\":" + TEXT.length() + "}");
                }
            } finally {
                agent.close();
                executor.close();
                admin.close();
            }
        }
    }

    private static JsonNode wordcount() {
        return Json.mapper()
                .readTree(
                        """
                        {"name":"count-words",
                         "inputs":{"parameters":[{"name":"min-length","value":"3"}],
                                   "artifacts":[{"name":"text","path":"/in/text","archive":{"none":{}},
                                                 "s3":{"key":"in/text.txt"}}]},
                         "outputs":{"parameters":[{"name":"total"}],
                                    "artifacts":[{"name":"counts","path":"/out/counts.json",
                                                  "archive":{"none":{}}}]},
                         "metadata":{},
                         "plugin":{"wasm":{"module":{"file":"%s"}}}}
                        """
                                .formatted(TestModules.example("wordcount/wordcount")));
    }

    /** Argo's lookup: the namespace's artifact-repositories ConfigMap and its Secret. */
    private void repository(String endpoint) {
        client.secrets()
                .inNamespace("argo")
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("s3-credentials")
                                .endMetadata()
                                .addToData("accessKey", base64(S3ProxyServer.ACCESS_KEY))
                                .addToData("secretKey", base64(S3ProxyServer.SECRET_KEY))
                                .build())
                .create();
        client.configMaps()
                .inNamespace("argo")
                .resource(
                        new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName("artifact-repositories")
                                .addToAnnotations(
                                        "workflows.argoproj.io/default-artifact-repository",
                                        "default-v1")
                                .endMetadata()
                                .addToData(
                                        "default-v1",
                                        """
                                        s3:
                                          endpoint: %s
                                          insecure: true
                                          bucket: %s
                                          accessKeySecret: {name: s3-credentials, key: accessKey}
                                          secretKeySecret: {name: s3-credentials, key: secretKey}
                                        """
                                                .formatted(endpoint, BUCKET))
                                .build())
                .create();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
