package io.argowasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.CollidingNames;
import io.argowasm.argo.Json;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.Digests;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Requests crafted to hurt the sidecar rather than to run a step, sent to the real HTTP endpoint:
 * limits that are costly to parse or overflow, bodies aimed at the JSON parser's shared state,
 * broken chunked encoding, and a crowd of waiting calls that must not starve the probes. Each gets
 * a client error or a failed step naming the field, never a 5xx, and leaves the sidecar serving.
 */
class HostileRequestsTest {

    private static final String TOKEN = "hostile-token";
    private static final long MAX_BODY = 4L << 20;
    private static final HttpClient client = HttpClient.newHttpClient();

    private static TemplateExecutor executor;
    private static PluginServer server;

    @BeforeAll
    static void start() {
        ModuleStore store =
                new ModuleStore(new ModuleFetcher(16L << 20, Duration.ofSeconds(5)), 16L << 20, 16);
        byte[] conformance = TestModules.bytes(TestModules.test("conformance"));
        store.offer(Digests.sha256(conformance), () -> conformance);
        executor = TemplateExecutor.builder(Json.mapper(), store).build();
        server = PluginServer.start(executor, TokenCheck.of(TOKEN), "127.0.0.1", 0, MAX_BODY);
    }

    @AfterAll
    static void stop() {
        server.close();
        executor.close();
    }

    @Test
    void aTimeoutOfSixteenThousandDigitsFailsTheStepNamingTheFieldAndTheMaximumLength()
            throws Exception {
        JsonNode reply =
                execute(body("echo", t -> limits(t).put("timeout", "1".repeat(16_000) + "s")));
        assertThat(reply.at("/node/phase").asString()).isEqualTo("Failed");
        assertThat(reply.at("/node/message").asString())
                .contains("plugin.wasm.limits.timeout: a duration of 16001 characters is too long")
                .contains("at most 64");
    }

    @Test
    void aMemoryLimitOfAMillionDigitsFailsTheStepNamingTheFieldAndTheMaximumLength()
            throws Exception {
        JsonNode reply = execute(body("echo", t -> limits(t).put("memory", "1".repeat(1_000_000))));
        assertThat(reply.at("/node/phase").asString()).isEqualTo("Failed");
        assertThat(reply.at("/node/message").asString())
                .contains("plugin.wasm.limits.memory: a quantity of 1000000 characters is too long")
                .contains("at most 64");
    }

    @Test
    void aMemoryLimitPastALongIsOverTheMaximumInsteadOfWrappingAround() throws Exception {
        JsonNode reply =
                execute(body("echo", t -> limits(t).put("memory", "18446744073709617152")));
        assertThat(reply.at("/node/phase").asString()).isEqualTo("Failed");
        assertThat(reply.at("/node/message").asString())
                .contains("plugin.wasm.limits.memory '18446744073709617152' exceeds")
                .contains("--max-memory");
    }

    @Test
    void aNanosecondTimeoutIsRefusedNamingTheMinimum() throws Exception {
        JsonNode reply = execute(body("echo", t -> limits(t).put("timeout", "1ns")));
        assertThat(reply.at("/node/phase").asString()).isEqualTo("Failed");
        assertThat(reply.at("/node/message").asString())
                .contains("plugin.wasm.limits.timeout 1ns is below the minimum of 10ms");
    }

    @Test
    void collidingPropertyNamesDoNotSpoilTheParsingOfLaterRequests() throws Exception {
        String crafted = body("echo", t -> collidingOptions(t, 3000)).toString();
        for (int i = 0; i < 50; i++) {
            if (i % 5 == 0) {
                assertThat(post(crafted).statusCode()).isLessThan(500);
            }
            int n = i;
            ObjectNode ordinary =
                    body(
                            "echo",
                            t -> {
                                ObjectNode options = options(t);
                                for (int k = 0; k < 20; k++) {
                                    options.put("option" + n + "_" + k, k);
                                }
                            });
            HttpResponse<String> response = post(ordinary.toString());
            assertThat(response.statusCode())
                    .as("ordinary body %d: %s", i, response.body())
                    .isEqualTo(200);
            assertThat(Json.mapper().readTree(response.body()).at("/node/phase").asString())
                    .isEqualTo("Succeeded");
        }
    }

    private static void collidingOptions(ObjectNode template, int count) {
        ObjectNode options = options(template);
        CollidingNames.first(count).forEach(name -> options.put(name, 1));
    }

    private static ObjectNode options(ObjectNode template) {
        ObjectNode wasm = (ObjectNode) template.get("plugin").get(TemplateExecutor.PLUGIN_NAME);
        return wasm.has("options") ? (ObjectNode) wasm.get("options") : wasm.putObject("options");
    }

    @Test
    void aChunkedBodyWithABrokenChunkSizeIsABadRequest() throws Exception {
        String status = rawChunkedPost("5\r\n{\"tem\r\nzz\r\nplate\r\n0\r\n\r\n", false);
        assertThat(status).startsWith("HTTP/1.1 400");
        assertThat(post(body("echo", t -> {}).toString()).statusCode()).isEqualTo(200);
    }

    @Test
    void aChunkedBodyCutShortIsABadRequest() throws Exception {
        String status = rawChunkedPost("64\r\n{\"template\":", true);
        assertThat(status).startsWith("HTTP/1.1 400");
        assertThat(post(body("echo", t -> {}).toString()).statusCode()).isEqualTo(200);
    }

    /**
     * Sends a chunked request whose chunks are {@code chunks} verbatim, optionally closing the
     * sending side after them, and returns the status line of the answer.
     */
    private static String rawChunkedPost(String chunks, boolean closeAfter) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            String head =
                    String.join(
                            "\r\n",
                            "POST " + PluginServer.EXECUTE_PATH + " HTTP/1.1",
                            "Host: 127.0.0.1",
                            "Authorization: Bearer " + TOKEN,
                            "Content-Type: application/json",
                            "Transfer-Encoding: chunked",
                            "",
                            "");
            out.write((head + chunks).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (closeAfter) {
                socket.shutdownOutput();
            }
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII));
            return String.valueOf(in.readLine());
        }
    }

    @Test
    void theBearerSchemeIsAcceptedInAnyCase() throws Exception {
        for (String scheme : List.of("bearer", "BEARER")) {
            HttpResponse<String> response =
                    client.send(
                            request(body("echo", t -> {}).toString(), scheme + " " + TOKEN),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(scheme).isEqualTo(200);
        }
    }

    @Test
    void healthzAnswersWhileTwoHundredCallsWaitForTheirStep() throws Exception {
        int crowd = 200;
        // One invocation that runs a few seconds; every call joins it and waits for its result.
        String waiting = body("wait-ms", t -> options(t).put("ms", 6000)).toString();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < crowd; i++) {
            calls.add(
                    client.sendAsync(
                            request(waiting, "Bearer " + TOKEN),
                            HttpResponse.BodyHandlers.ofString()));
        }
        awaitCallsInTheExecutor(crowd);

        long asked = System.nanoTime();
        HttpResponse<String> health =
                client.send(
                        HttpRequest.newBuilder(uri("/healthz"))
                                .timeout(Duration.ofSeconds(20))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - asked);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(took)
                .as("/healthz with %d calls waiting", crowd)
                .isLessThan(Duration.ofSeconds(1));
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"phase\":\"Succeeded\"");
        }
    }

    /**
     * Waits until {@code count} calls are inside {@link TemplateExecutor#execute}, or, when fewer
     * threads can take them, until their number stops growing.
     */
    private static void awaitCallsInTheExecutor(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int last = -1;
        long steadySince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int inside = callsInTheExecutor();
            if (inside >= count) {
                return;
            }
            if (inside != last) {
                last = inside;
                steadySince = System.nanoTime();
            } else if (inside > 0 && System.nanoTime() - steadySince > 1_000_000_000L) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static int callsInTheExecutor() {
        int inside = 0;
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            if (Arrays.stream(stack)
                    .anyMatch(
                            frame ->
                                    frame.getClassName().equals(TemplateExecutor.class.getName())
                                            && frame.getMethodName().equals("execute"))) {
                inside++;
            }
        }
        return inside;
    }

    private static ObjectNode limits(ObjectNode template) {
        ObjectNode wasm = (ObjectNode) template.get("plugin").get(TemplateExecutor.PLUGIN_NAME);
        return wasm.has("limits") ? (ObjectNode) wasm.get("limits") : wasm.putObject("limits");
    }

    /** A template.execute body for a conformance step, with a fresh workflow uid. */
    private static ObjectNode body(String operation, Consumer<ObjectNode> change) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("workflow")
                .putObject("metadata")
                .put("name", "hostile")
                .put("namespace", "argo")
                .put("uid", "uid-" + System.nanoTime());
        ObjectNode template = body.putObject("template");
        template.put("name", operation);
        template.putObject("inputs").putArray("parameters");
        template.putObject("outputs");
        ObjectNode wasm = template.putObject("plugin").putObject(TemplateExecutor.PLUGIN_NAME);
        wasm.putObject("module")
                .put("url", "https://modules.test/conformance.wasm")
                .put("sha256", Digests.sha256(TestModules.bytes(TestModules.test("conformance"))));
        wasm.put("operation", operation);
        change.accept(template);
        return body;
    }

    private static HttpRequest request(String body, String authorization) {
        return HttpRequest.newBuilder(uri(PluginServer.EXECUTE_PATH))
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return client.send(request(body, "Bearer " + TOKEN), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode execute(ObjectNode body) throws Exception {
        HttpResponse<String> response = post(body.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
