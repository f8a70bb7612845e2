package io.argowasm.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.argowasm.argo.Json;
import io.argowasm.module.ModuleSourcePolicy;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * HTTP templates through the agent, against an HTTP server in the test: Argo's semantics for
 * method, headers (also from Secrets), body, success and {@code outputs.result}.
 */
@EnableKubernetesMockClient(crud = true)
class HttpTasksTest {

    KubernetesMockServer server;
    KubernetesClient client;

    private HttpServer target;
    private final List<String> received = new ArrayList<>();
    private TaskSetAgent agent;
    private FakeController controller;

    @BeforeEach
    void start() throws Exception {
        server.expectCustomResource(TaskSetAgentTest.CRD);
        controller = new FakeController(client);
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        target.createContext(
                "/",
                exchange -> {
                    String body =
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    synchronized (received) {
                        received.add(
                                "%s %s token=%s body=%s"
                                        .formatted(
                                                exchange.getRequestMethod(),
                                                exchange.getRequestURI().getPath(),
                                                exchange.getRequestHeaders().getFirst("X-Token"),
                                                body));
                    }
                    int status = Integer.parseInt(exchange.getRequestURI().getPath().substring(1));
                    byte[] answer = ("answer " + status).getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(status, answer.length);
                    exchange.getResponseBody().write(answer);
                    exchange.close();
                });
        target.start();
        client.secrets()
                .inNamespace("argo")
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("api")
                                .endMetadata()
                                .addToData(
                                        "token",
                                        Base64.getEncoder()
                                                .encodeToString(
                                                        "s3cr3t".getBytes(StandardCharsets.UTF_8)))
                                .build())
                .create();
        ModuleSourcePolicy policy =
                ModuleSourcePolicy.builder()
                        .hosts(List.of("127.0.0.1"))
                        .allowHttp(true)
                        .allowPrivateHosts(true)
                        .build();
        KubernetesClient own = server.createClient();
        agent =
                new TaskSetAgent(
                        own,
                        AgentSettings.defaults(),
                        (taskSet, node, template) -> {
                            throw new AssertionError("no wasm task here");
                        },
                        new HttpTasks(own, policy, 1 << 20),
                        ShardOwnership.all());
        agent.start();
    }

    @AfterEach
    void stop() {
        agent.close();
        target.stop(0);
    }

    private JsonNode http(String json) {
        return Json.mapper()
                .readTree(
                        "{\"name\":\"call\",\"inputs\":{},\"outputs\":{},\"metadata\":{},\"http\":%s}"
                                .formatted(
                                        json.replace(
                                                "URL",
                                                "http://127.0.0.1:"
                                                        + target.getAddress().getPort())));
    }

    @Test
    void aGetWithASecretHeaderSucceedsOn2xxWithTheBodyAsResult() throws Exception {
        controller.create(
                "argo",
                "get",
                Map.of(
                        "get-1",
                        http(
                                """
                                {"url":"URL/200","headers":[{"name":"X-Token",
                                 "valueFrom":{"secretKeyRef":{"name":"api","key":"token"}}}]}
                                """)));

        JsonNode node =
                controller
                        .awaitResults("argo", "get", List.of("get-1"), TaskSetAgentTest.PATIENCE)
                        .get("get-1");

        assertThat(node.path("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        assertThat(node.at("/outputs/result").asString()).isEqualTo("answer 200");
        assertThat(received).containsExactly("GET /200 token=s3cr3t body=");
    }

    @Test
    void aPostIsJudgedBySuccessConditionAndANon2xxFailsByDefault() throws Exception {
        controller.create(
                "argo",
                "post",
                Map.of(
                        "post-1",
                        http(
                                """
                                {"url":"URL/201","method":"POST","body":"{\\"a\\":1}",
                                 "successCondition":"response.statusCode == 201 && (response.statusCode < 300 || response.statusCode in [418])"}
                                """),
                        "post-2",
                        http(
                                """
                                {"url":"URL/202","successCondition":"response.statusCode in [200, 201]"}
                                """),
                        "post-3",
                        http("{\"url\":\"URL/500\"}")));

        Map<String, JsonNode> results =
                controller.awaitResults(
                        "argo",
                        "post",
                        List.of("post-1", "post-2", "post-3"),
                        TaskSetAgentTest.PATIENCE);

        assertThat(results.get("post-1").path("phase").asString()).isEqualTo("Succeeded");
        assertThat(results.get("post-2").path("phase").asString()).isEqualTo("Failed");
        assertThat(results.get("post-2").path("message").asString())
                .isEqualTo(
                        "response code 202 does not satisfy successCondition 'response.statusCode"
                                + " in [200, 201]'");
        assertThat(results.get("post-3").path("phase").asString()).isEqualTo("Failed");
        assertThat(results.get("post-3").path("message").asString())
                .isEqualTo("received non-2xx response code: 500");
        assertThat(results.get("post-3").at("/outputs/result").asString()).isEqualTo("answer 500");
        assertThat(received).contains("POST /201 token=null body={\"a\":1}");
    }

    @Test
    void anUnsupportedConditionAndAHostOutsideTheRulesFailWithoutARequest() throws Exception {
        controller.create(
                "argo",
                "refused",
                Map.of(
                        "refused-1",
                        http(
                                "{\"url\":\"URL/200\",\"successCondition\":\"response.body =="
                                        + " 'ok'\"}"),
                        "refused-2",
                        http("{\"url\":\"http://localhost:1/200\"}")));

        Map<String, JsonNode> results =
                controller.awaitResults(
                        "argo",
                        "refused",
                        List.of("refused-1", "refused-2"),
                        TaskSetAgentTest.PATIENCE);

        assertThat(results.get("refused-1").path("message").asString())
                .contains("'response.body' is not supported");
        assertThat(results.get("refused-2").path("message").asString())
                .contains("localhost")
                .contains("--module-hosts");
        assertThat(received).isEmpty();
    }

    @Test
    void conditionsUsersWriteEvaluateAsExprDoes() {
        assertThat(SuccessCondition.parse("response.statusCode == 200").test(200)).isTrue();
        assertThat(SuccessCondition.parse("response.statusCode != 200").test(200)).isFalse();
        assertThat(
                        SuccessCondition.parse(
                                        "response.statusCode >= 200 && response.statusCode < 300"
                                                + " || response.statusCode == 404")
                                .test(404))
                .isTrue();
        assertThat(SuccessCondition.parse("response.statusCode not in [500, 503]").test(503))
                .isFalse();
        assertThatThrownBy(() -> SuccessCondition.parse("len(response.body) > 0"))
                .hasMessageContaining("'len' is not supported");
        assertThatThrownBy(() -> SuccessCondition.parse("response.statusCode =="))
                .hasMessageContaining("ends too early");
    }
}
