package io.argowasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.ModuleHttpServer;
import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.Digests;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The sidecar's HTTP contract, driven with Argo-shaped bodies and real guests. */
class PluginServerTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final HttpClient client = HttpClient.newHttpClient();

    private static ModuleHttpServer modules;
    private static TemplateExecutor executor;
    private static PluginServer server;
    private static URI greetUrl;
    private static String greetDigest;

    @BeforeAll
    static void start() {
        modules = new ModuleHttpServer();
        byte[] greet = TestModules.bytes(TestModules.example("greet/greet"));
        greetUrl = modules.serve("/greet.wasm", greet);
        greetDigest = Digests.sha256(greet);
        modules.serve("/conformance.wasm", TestModules.bytes(TestModules.test("conformance")));
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(64L << 20, Duration.ofSeconds(10)), 64L << 20, 16);
        executor = TemplateExecutor.builder(Json.mapper(), store).build();
        server = PluginServer.start(executor, TokenCheck.of(TOKEN), "127.0.0.1", 0, 1L << 20);
    }

    @AfterAll
    static void stop() {
        server.close();
        executor.close();
        modules.close();
    }

    static ObjectNode fixture(String name) throws Exception {
        return (ObjectNode) Json.mapper().readTree(Files.readString(TestModules.argoFixture(name)));
    }

    /** A fixture whose module points at the loopback module server. */
    static ObjectNode withModule(ObjectNode body, URI url, String sha256) {
        ObjectNode module =
                ((ObjectNode) body.get("template").get("plugin").get("wasm")).putObject("module");
        module.put("url", url.toString());
        if (sha256 != null) {
            module.put("sha256", sha256);
        }
        return body;
    }

    static ObjectNode conformance(String operation) throws Exception {
        ObjectNode body =
                withModule(fixture("wasm-parameters.json"), modules.url("/conformance.wasm"), null);
        ObjectNode wasm = (ObjectNode) body.get("template").get("plugin").get("wasm");
        wasm.put("operation", operation);
        ((ObjectNode) body.get("template")).putObject("outputs");
        return body;
    }

    static HttpResponse<String> post(String body, String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + server.port()
                                                + PluginServer.EXECUTE_PATH))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode execute(JsonNode body) throws Exception {
        HttpResponse<String> response = post(body.toString(), TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    @Test
    void healthzAnswersOk() throws Exception {
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:" + server.port() + "/healthz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aMissingTokenIsForbidden() throws Exception {
        assertThat(post(fixture("wasm-parameters.json").toString(), null).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aWrongTokenIsForbidden() throws Exception {
        assertThat(post(fixture("wasm-parameters.json").toString(), "not-the-token").statusCode())
                .isEqualTo(403);
    }

    @Test
    void aTemplateOfAnotherPluginGetsAnEmptyReply() throws Exception {
        HttpResponse<String> response = post(fixture("other-plugin.json").toString(), TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{}");
    }

    @Test
    void malformedJsonIsABadRequestWithAReason() throws Exception {
        HttpResponse<String> response = post("{\"workflow\": {", TOKEN);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("malformed JSON");
    }

    @Test
    void aBodyWithoutATemplateIsABadRequest() throws Exception {
        for (String body : List.of("[]", "{}", "{\"template\": \"greet\"}", "42")) {
            HttpResponse<String> response = post(body, TOKEN);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).contains("needs a 'template' object");
        }
    }

    @Test
    void aTemplateOfTheWrongShapeIsABadRequest() throws Exception {
        ObjectNode body = fixture("wasm-parameters.json");
        ((ObjectNode) body.get("template")).put("inputs", "not an object");
        HttpResponse<String> response = post(body.toString(), TOKEN);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Argo's shape");
    }

    @Test
    void aWasmStepSucceedsWithArgosReplyShape() throws Exception {
        JsonNode reply =
                execute(withModule(fixture("wasm-parameters.json"), greetUrl, greetDigest));
        JsonNode expected = fixture("reply-succeeded.json");
        assertThat(reply.get("node").get("phase")).isEqualTo(expected.get("node").get("phase"));
        assertThat(reply.get("node").get("outputs")).isEqualTo(expected.get("node").get("outputs"));
        assertThat(reply.has("requeue")).isFalse();
    }

    @Test
    void argo33MetadataWithOnlyANameIsAccepted() throws Exception {
        ObjectNode body = withModule(fixture("v3.3-metadata-name-only.json"), greetUrl, null);
        ((ObjectNode) body.get("template").get("plugin").get("wasm")).put("operation", "greet");
        JsonNode reply = execute(body);
        assertThat(reply.at("/node/phase").asString()).isEqualTo("Succeeded");
        assertThat(reply.at("/node/outputs/parameters/0/value").asString()).isEqualTo("hi");
    }

    @Test
    void aPinnedModuleIsFetchedAtMostOnce() throws Exception {
        byte[] bytes = TestModules.bytes(TestModules.example("greet/greet"));
        URI url = modules.serve("/pinned-once.wasm", bytes);
        for (int i = 0; i < 5; i++) {
            JsonNode reply =
                    execute(
                            withModule(
                                    fixture("wasm-parameters.json"), url, Digests.sha256(bytes)));
            assertThat(reply.at("/node/phase").asString()).isEqualTo("Succeeded");
        }
        assertThat(modules.hits("/pinned-once.wasm")).isEqualTo(1);
    }

    @Test
    void aDigestMismatchFailsTheStepNamingBothDigests() throws Exception {
        String wrong = "0".repeat(64);
        JsonNode reply = execute(withModule(fixture("wasm-parameters.json"), greetUrl, wrong));
        assertThat(reply.at("/node/phase").asString()).isEqualTo("Failed");
        assertThat(reply.at("/node/message").asString())
                .contains("does not match its pinned sha256")
                .contains(wrong)
                .contains(greetDigest);
    }

    @Test
    void aModuleThatCannotBeFetchedFailsTheStep() throws Exception {
        JsonNode reply =
                execute(
                        withModule(
                                fixture("wasm-parameters.json"),
                                modules.url("/missing.wasm"),
                                null));
        assertThat(reply.at("/node/phase").asString()).isEqualTo("Failed");
        assertThat(reply.at("/node/message").asString())
                .contains("/missing.wasm could not be fetched: HTTP 404");
    }

    @Test
    void anUnknownKeyInPluginWasmFailsTheStepNamingTheKey() throws Exception {
        ObjectNode body = withModule(fixture("wasm-parameters.json"), greetUrl, greetDigest);
        ((ObjectNode) body.get("template").get("plugin").get("wasm")).put("opration", "greet");
        JsonNode reply = execute(body);
        assertThat(reply.at("/node/phase").asString()).isEqualTo("Failed");
        assertThat(reply.at("/node/message").asString()).contains("unknown key 'opration'");
    }

    @Test
    void anArtifactTheSidecarCannotReadFailsTheStepNotTheRequest() throws Exception {
        for (String artifact : List.of("\"counts\"", "null", "{\"path\": \"/in/counts\"}")) {
            ObjectNode body = withModule(fixture("wasm-parameters.json"), greetUrl, greetDigest);
            ((ObjectNode) body.get("template"))
                    .putObject("inputs")
                    .putArray("artifacts")
                    .add(Json.mapper().readTree(artifact));

            JsonNode reply = execute(body);

            assertThat(reply.at("/node/phase").asString()).as(artifact).isEqualTo("Failed");
        }
    }

    @Test
    void aTrappingGuestFailsItsStepAndTheSidecarKeepsServing() throws Exception {
        JsonNode reply = execute(conformance("trap"));
        assertThat(reply.at("/node/phase").asString()).isEqualTo("Failed");
        assertThat(reply.at("/node/message").asString())
                .contains("operation 'trap'")
                .contains("trapped");
        assertThat(execute(conformance("echo")).at("/node/phase").asString())
                .isEqualTo("Succeeded");
    }

    @Test
    void aGuestRunningPastItsTimeoutFailsWithTheLimitNamed() throws Exception {
        ObjectNode body = conformance("loop");
        ((ObjectNode) body.get("template").get("plugin").get("wasm"))
                .putObject("limits")
                .put("timeout", "300ms");
        JsonNode reply = execute(body);
        assertThat(reply.at("/node/phase").asString()).isEqualTo("Failed");
        assertThat(reply.at("/node/message").asString()).contains("timed out after 300ms");
    }

    @Test
    void theLastGuestOutputLinesAppearInAFailedNodesMessage() throws Exception {
        JsonNode reply = execute(conformance("log"));
        assertThat(reply.at("/node/message").asString())
                .contains("logged and failed")
                .contains("console: console line 3")
                .contains("stderr: stderr line");
    }

    @Test
    void aDeclaredOutputTheGuestDidNotReturnFailsTheStepNamingIt() throws Exception {
        ObjectNode body = withModule(fixture("wasm-parameters.json"), greetUrl, greetDigest);
        ((ObjectNode) body.get("template").get("outputs"))
                .putArray("parameters")
                .addObject()
                .put("name", "farewell");
        JsonNode reply = execute(body);
        assertThat(reply.at("/node/phase").asString()).isEqualTo("Failed");
        assertThat(reply.at("/node/message").asString())
                .contains("farewell")
                .contains("returned: greeting");
    }

    @Test
    void sixteenConcurrentRequestsAllSucceed() throws Exception {
        String body = withModule(fixture("wasm-parameters.json"), greetUrl, greetDigest).toString();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(
                    client.sendAsync(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + server.port()
                                                            + PluginServer.EXECUTE_PATH))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertThat(call.get().body())
                    .contains("\"phase\":\"Succeeded\"")
                    .contains("HELLO FROM ARGO");
        }
    }
}
