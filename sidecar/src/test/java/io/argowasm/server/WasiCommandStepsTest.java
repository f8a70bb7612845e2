package io.argowasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.exec.HttpCapability;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.metrics.PluginMetrics;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleSourcePolicy;
import io.argowasm.module.ModuleStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * WASI command modules through the sidecar's HTTP endpoint: kind detection, both contracts, exit
 * codes, the {@code /work} sandbox and its budget, and the HTTP capability against an in-test HTTP
 * server.
 */
class WasiCommandStepsTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final HttpClient client = HttpClient.newHttpClient();

    private static Sidecar open;
    private static Sidecar publicOnly;
    private static HttpServer web;
    private static String origin;

    /** A sidecar: its executor, metrics and endpoint. */
    record Sidecar(TemplateExecutor executor, PluginMetrics metrics, PluginServer server) {
        static Sidecar start(List<String> origins, boolean allowPrivate) {
            PluginMetrics metrics = PluginMetrics.unregistered();
            ModuleStore store =
                    new ModuleStore(
                            new ModuleFetcher(64L << 20, Duration.ofSeconds(10)), 64L << 20, 16);
            TemplateExecutor executor =
                    TemplateExecutor.builder(Json.mapper(), store)
                            .metrics(metrics)
                            .maxGuestFileBytes(2L << 20)
                            .http(
                                    new HttpCapability.Rules(
                                            origins,
                                            ModuleSourcePolicy.builder()
                                                    .allowHttp(true)
                                                    .allowPrivateHosts(allowPrivate)
                                                    .build(),
                                            Duration.ofMillis(800),
                                            64 << 10))
                            .build();
            return new Sidecar(
                    executor,
                    metrics,
                    PluginServer.start(executor, TokenCheck.of(TOKEN), "127.0.0.1", 0, 1L << 20));
        }

        void close() {
            server.close();
            executor.close();
        }

        JsonNode execute(JsonNode body) throws Exception {
            HttpResponse<String> response =
                    client.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + server.port()
                                                            + PluginServer.EXECUTE_PATH))
                                    .header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return Json.mapper().readTree(response.body()).get("node");
        }

        String metricsText() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            metrics.write(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/hello", exchange -> answer(exchange, "hello from the web"));
        web.createContext(
                "/slow",
                exchange -> {
                    try {
                        Thread.sleep(3_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    answer(exchange, "too late");
                });
        web.createContext("/huge", exchange -> answer(exchange, "x".repeat(200_000)));
        web.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        web.start();
        origin = "http://127.0.0.1:" + web.getAddress().getPort();
        open = Sidecar.start(List.of(origin), true);
        publicOnly = Sidecar.start(List.of(HttpCapability.ANY_ORIGIN), false);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // The client gave up (the slow case).
        }
    }

    @AfterAll
    static void stop() {
        open.close();
        publicOnly.close();
        web.stop(0);
    }

    /** A request for the probe with these arguments and extra {@code plugin.wasm} keys. */
    static ObjectNode probe(Map<String, Object> wasm, String... args) {
        return step(TestModules.test("wasi-probe").toString(), wasm, args);
    }

    static ObjectNode step(String moduleFile, Map<String, Object> wasm, String... args) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("workflow")
                .putObject("metadata")
                .put("name", "wasi-" + System.nanoTime())
                .put("namespace", "argo")
                .put("uid", java.util.UUID.randomUUID().toString());
        ObjectNode template = body.putObject("template").put("name", "probe");
        template.putObject("inputs")
                .putArray("parameters")
                .addObject()
                .put("name", "text")
                .put("value", "Hello World");
        ObjectNode plugin = template.putObject("plugin").putObject("wasm");
        plugin.putObject("module").put("file", moduleFile);
        if (args.length > 0) {
            ArrayNode list = plugin.putArray("args");
            for (String arg : args) {
                list.add(arg);
            }
        }
        wasm.forEach((key, value) -> plugin.set(key, Json.mapper().valueToTree(value)));
        return body;
    }

    static String parameter(JsonNode node, String name) {
        for (JsonNode p : node.at("/outputs/parameters")) {
            if (p.get("name").asString().equals(name)) {
                return p.get("value").asString();
            }
        }
        throw new AssertionError("no output parameter " + name + " in " + node);
    }

    @Test
    void aStdioCommandReadsThePayloadOnStdinWithArgsAndEnvAndAnswersOnStdout() throws Exception {
        JsonNode node =
                open.execute(probe(Map.of("env", Map.of("GREETING", "hallo")), "stdio", "one"));
        assertThat(node.get("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        assertThat(node.get("message").asString()).isEqualTo("read the payload");
        JsonNode payload = Json.mapper().readTree(parameter(node, "payload"));
        assertThat(payload.at("/parameters/text").asString()).isEqualTo("Hello World");
        assertThat(payload.at("/template").asString()).isEqualTo("probe");
        assertThat(parameter(node, "args")).isEqualTo("probe stdio one");
        assertThat(parameter(node, "greeting")).isEqualTo("hallo");
    }

    @Test
    void aFileContractCommandReadsInputJsonAndAnswersWithResultJson() throws Exception {
        JsonNode node = open.execute(probe(Map.of("options", Map.of("my option", 42)), "files"));
        assertThat(node.get("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        assertThat(node.get("message").asString()).isEqualTo("Done");
        assertThat(parameter(node, "count")).isEqualTo("42");
        JsonNode input = Json.mapper().readTree(parameter(node, "input"));
        assertThat(input.get("workflow_name").asString()).startsWith("wasi-");
        assertThat(input.at("/plugin_options/0/name").asString()).isEqualTo("my option");
        assertThat(input.at("/plugin_options/0/value").asInt()).isEqualTo(42);
        assertThat(input.at("/parameters/0/name").asString()).isEqualTo("text");
        assertThat(input.at("/parameters/0/value").asString()).isEqualTo("Hello World");
        assertThat(input.get("artifacts").isArray()).isTrue();
    }

    @Test
    void aFailedResultFailsTheStepWithTheModulesMessage() throws Exception {
        JsonNode node = open.execute(probe(Map.of(), "files-failed"));
        assertThat(node.get("phase").asString()).isEqualTo("Failed");
        assertThat(node.get("message").asString()).isEqualTo("the module gave up");
    }

    @Test
    void theFileContractAskedForFailsWhenNoResultJsonIsWritten() throws Exception {
        JsonNode node = open.execute(probe(Map.of("contract", "files"), "stdio"));
        assertThat(node.get("phase").asString()).isEqualTo("Failed");
        assertThat(node.get("message").asString())
                .contains("did not write /work/result.json")
                .contains("plugin.wasm.contract: files");
    }

    @Test
    void aNonZeroExitFailsTheStepWithItsCodeAndLastStderrLines() throws Exception {
        JsonNode node = open.execute(probe(Map.of(), "exit", "3"));
        assertThat(node.get("phase").asString()).isEqualTo("Failed");
        assertThat(node.get("message").asString())
                .contains("exited with code 3")
                .contains("stderr: first stderr line")
                .contains("stderr: giving up with code 3");
    }

    @Test
    void readsOutsideTheSandboxFailAndSeeNothing() throws Exception {
        JsonNode node =
                open.execute(
                        probe(
                                Map.of(),
                                "read",
                                "/etc/passwd",
                                "/work/../etc/passwd",
                                "../etc/passwd",
                                "/work/artifacts-in/../../etc/hosts",
                                "/proc/self/environ",
                                "/work/input.json"));
        assertThat(node.get("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        for (String path :
                List.of(
                        "/etc/passwd",
                        "/work/../etc/passwd",
                        "../etc/passwd",
                        "/work/artifacts-in/../../etc/hosts",
                        "/proc/self/environ")) {
            assertThat(parameter(node, path)).as(path).startsWith("err:").doesNotContain("root");
        }
        assertThat(parameter(node, "/work/input.json")).startsWith("ok:{\"workflow_name\"");
    }

    @Test
    void theGuestSeesOnlyTheContractsFilesAndCannotWriteItsInputs() throws Exception {
        JsonNode listing = open.execute(probe(Map.of(), "ls", "/work"));
        assertThat(parameter(listing, "entries"))
                .isEqualTo("artifacts-in,artifacts-out,input.json");
        JsonNode node =
                open.execute(
                        probe(
                                Map.of(),
                                "write",
                                "/work/input.json",
                                "/work/artifacts-in/new",
                                "/work/artifacts-out/new",
                                "/tmp/new"));
        assertThat(parameter(node, "/work/input.json")).isEqualTo("err:Read-only file system");
        assertThat(parameter(node, "/work/artifacts-in/new"))
                .isEqualTo("err:Read-only file system");
        assertThat(parameter(node, "/work/artifacts-out/new")).isEqualTo("ok");
        assertThat(parameter(node, "/tmp/new")).startsWith("err:");
    }

    @Test
    void filesBeyondTheBudgetFailTheStepEvenWhenTheGuestIgnoresTheError() throws Exception {
        JsonNode node = open.execute(probe(Map.of(), "fill", "5", "/work/artifacts-out/big"));
        assertThat(node.get("phase").asString()).isEqualTo("Failed");
        assertThat(node.get("message").asString())
                .contains("passed their budget of 2.0 MiB")
                .contains("--max-guest-files");
    }

    @Test
    void aCommandPastItsTimeoutIsStopped() throws Exception {
        JsonNode node = open.execute(probe(Map.of("limits", Map.of("timeout", "300ms")), "spin"));
        assertThat(node.get("phase").asString()).isEqualTo("Failed");
        assertThat(node.get("message").asString())
                .contains("timed out after 300ms (plugin.wasm.limits.timeout)");
    }

    @Test
    void aCommandMaySleepAndIsStoppedAtItsTimeoutWhileAsleep() throws Exception {
        assertThat(parameter(open.execute(probe(Map.of(), "sleep", "20")), "slept"))
                .isEqualTo("slept");
        JsonNode node =
                open.execute(
                        probe(Map.of("limits", Map.of("timeout", "300ms")), "sleep", "600000"));
        assertThat(node.get("phase").asString()).isEqualTo("Failed");
        assertThat(node.get("message").asString()).contains("timed out after 300ms");
    }

    @Test
    void theMemoryCapBoundsACommandAsItBoundsAWapcGuest() throws Exception {
        Map<String, Object> small = Map.of("limits", Map.of("memory", "16Mi"));
        assertThat(parameter(open.execute(probe(small, "alloc", "4")), "alloc")).isEqualTo("ok");
        assertThat(parameter(open.execute(probe(small, "alloc", "32")), "alloc"))
                .isEqualTo("err:out of memory");
    }

    @Test
    void abiWapcOnACommandFailsNamingWhatItExports() throws Exception {
        JsonNode node = open.execute(probe(Map.of("abi", "wapc"), "stdio"));
        assertThat(node.get("phase").asString()).isEqualTo("Failed");
        assertThat(node.get("message").asString())
                .contains("does not export __guest_call")
                .contains("plugin.wasm.abi: wapc")
                .contains("_start");
    }

    @Test
    void aModuleOfNeitherKindFailsNamingItsExportsAndBothEntryPoints() throws Exception {
        JsonNode node = open.execute(step(TestModules.test("no-guest-call").toString(), Map.of()));
        assertThat(node.get("phase").asString()).isEqualTo("Failed");
        assertThat(node.get("message").asString())
                .contains("exports hello")
                .contains("__guest_call (a waPC guest)")
                .contains("_start (a WASI command)");
    }

    @Test
    void waPcGuestsAreUnaffectedAndRefuseWasiKeys() throws Exception {
        ObjectNode echo =
                step(TestModules.test("conformance").toString(), Map.of("operation", "echo"));
        JsonNode node = open.execute(echo);
        assertThat(node.get("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        JsonNode withArgs =
                open.execute(
                        step(
                                TestModules.test("conformance").toString(),
                                Map.of("operation", "echo"),
                                "stdio"));
        assertThat(withArgs.get("phase").asString()).isEqualTo("Failed");
        assertThat(withArgs.get("message").asString())
                .contains("waPC guest")
                .contains("plugin.wasm.args does not apply");
    }

    private static Map<String, Object> http(String... origins) {
        return Map.of("permissions", Map.of("http", Map.of("allowed_hosts", List.of(origins))));
    }

    @Test
    void anAllowedOriginIsReachedThroughWasiExperimentalHttp() throws Exception {
        JsonNode node = open.execute(probe(http(origin), "http", origin + "/hello"));
        assertThat(node.get("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        assertThat(parameter(node, "error")).isEqualTo("0");
        assertThat(parameter(node, "status")).isEqualTo("200");
        assertThat(parameter(node, "content_type")).isEqualTo("text/plain");
        assertThat(parameter(node, "body")).isEqualTo("hello from the web");
        assertThat(open.metricsText())
                .containsPattern("wasm_executor_http_requests_total\\{result=\"ok\"} [1-9]");
    }

    @Test
    void anOriginTheTemplateDoesNotListIsRefused() throws Exception {
        JsonNode node = open.execute(probe(http(origin), "http", "http://localhost:1/elsewhere"));
        assertThat(parameter(node, "error")).isEqualTo("7"); // destination_not_allowed
        assertThat(parameter(node, "status")).isEqualTo("0");
        JsonNode none = open.execute(probe(Map.of(), "http", origin + "/hello"));
        assertThat(parameter(none, "error")).isEqualTo("7");
        assertThat(open.metricsText())
                .containsPattern("wasm_executor_http_requests_total\\{result=\"refused\"} [1-9]");
    }

    @Test
    void anOriginTheSidecarDoesNotAdmitFailsTheStepBeforeItRuns() throws Exception {
        JsonNode node =
                open.execute(probe(http("https://api.example.com"), "http", origin + "/hello"));
        assertThat(node.get("phase").asString()).isEqualTo("Failed");
        assertThat(node.get("message").asString())
                .contains("https://api.example.com")
                .contains("--http-allowed-hosts");
    }

    @Test
    void aPrivateAddressIsRefusedByTheModuleSourcePolicy() throws Exception {
        JsonNode node = publicOnly.execute(probe(http(origin), "http", origin + "/hello"));
        assertThat(parameter(node, "error")).isEqualTo("7");
        assertThat(parameter(node, "body")).isEmpty();
    }

    @Test
    void aSlowAnswerTimesOutAndAHugeOneIsRefused() throws Exception {
        JsonNode slow = open.execute(probe(http(origin), "http", origin + "/slow"));
        assertThat(slow.get("phase").asString()).isEqualTo("Succeeded");
        assertThat(parameter(slow, "error")).isEqualTo("11"); // request_error
        JsonNode huge = open.execute(probe(http(origin), "http", origin + "/huge"));
        assertThat(parameter(huge, "error")).isEqualTo("11");
        assertThat(parameter(huge, "body")).isEmpty();
        assertThat(open.metricsText())
                .containsPattern("wasm_executor_http_requests_total\\{result=\"timeout\"} [1-9]")
                .containsPattern("wasm_executor_http_requests_total\\{result=\"too_large\"} [1-9]");
    }

    @Test
    void aWapcGuestReachesAnAllowedOriginThroughTheHttpBinding() throws Exception {
        String request =
                Json.mapper()
                        .createObjectNode()
                        .put("method", "GET")
                        .put("url", origin + "/hello")
                        .toString();
        Map<String, Object> wasm =
                Map.of(
                        "operation",
                        "host-call",
                        "options",
                        Map.of(
                                "binding",
                                "http",
                                "namespace",
                                "",
                                "operation",
                                "request",
                                "payload",
                                request),
                        "permissions",
                        http(origin).get("permissions"));
        JsonNode node = open.execute(step(TestModules.test("conformance").toString(), wasm));
        assertThat(node.get("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        assertThat(parameter(node, "ok")).isEqualTo("true");
        JsonNode response = Json.mapper().readTree(parameter(node, "response"));
        assertThat(response.get("status").asInt()).isEqualTo(200);
        assertThat(response.get("body").asString()).isEqualTo("hello from the web");
    }
}
