package io.argowasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.ModuleHttpServer;
import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.budget.MemoryBudget;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.metrics.PluginMetrics;
import io.argowasm.metrics.PrometheusText;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import io.argowasm.wapc.FirstCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET /metrics} after real steps: what the counters and histograms say about them. */
class MetricsEndpointTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final HttpClient client = HttpClient.newHttpClient();

    private ModuleHttpServer modules;
    private TemplateExecutor executor;
    private PluginServer server;
    private URI conformanceUrl;

    @BeforeEach
    void start() {
        modules = new ModuleHttpServer();
        conformanceUrl =
                modules.serve(
                        "/conformance.wasm", TestModules.bytes(TestModules.test("conformance")));
        PluginMetrics metrics = new PluginMetrics("1.2.3-test", "9.9.9");
        MemoryBudget budget = MemoryBudget.of(512L << 20);
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(64L << 20, Duration.ofSeconds(10)),
                        64L << 20,
                        16,
                        null,
                        budget,
                        ModuleStore.DEFAULT_MAX_GENERATED_CODE,
                        // Compiled before the first call, so the compilation is counted by the
                        // time the steps answer.
                        FirstCalls.compiled);
        store.recordTo(metrics);
        executor =
                TemplateExecutor.builder(Json.mapper(), store)
                        .metrics(metrics)
                        .memoryBudget(budget)
                        .maxConcurrent(3)
                        .build();
        server = PluginServer.start(executor, TokenCheck.of(TOKEN), "127.0.0.1", 0, 1L << 20);
    }

    @AfterEach
    void stop() {
        server.close();
        executor.close();
        modules.close();
    }

    private ObjectNode step(String template, String operation) throws Exception {
        ObjectNode body =
                (ObjectNode)
                        Json.mapper()
                                .readTree(
                                        Files.readString(
                                                TestModules.argoFixture("wasm-parameters.json")));
        ObjectNode wasm = (ObjectNode) body.get("template").get("plugin").get("wasm");
        wasm.putObject("module").put("url", conformanceUrl.toString());
        wasm.put("operation", operation);
        ((ObjectNode) body.get("template")).put("name", template).putObject("outputs");
        return body;
    }

    private HttpResponse<String> post(JsonNode body, String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + server.port()
                                                + PluginServer.EXECUTE_PATH))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String phaseOf(JsonNode body) throws Exception {
        HttpResponse<String> response = post(body, TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body()).at("/node/phase").asString();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private PrometheusText scrape() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/plain");
        return PrometheusText.parse(response.body());
    }

    @Test
    void stepsAreCountedByPhaseAndReason() throws Exception {
        assertThat(phaseOf(step("ok-1", "echo"))).isEqualTo("Succeeded");
        assertThat(phaseOf(step("ok-2", "echo"))).isEqualTo("Succeeded");
        assertThat(phaseOf(step("fails", "fail"))).isEqualTo("Failed");
        assertThat(phaseOf(step("traps", "trap"))).isEqualTo("Failed");
        ObjectNode looping = step("loops", "loop");
        ((ObjectNode) looping.get("template").get("plugin").get("wasm"))
                .putObject("limits")
                .put("timeout", "200ms");
        assertThat(phaseOf(looping)).isEqualTo("Failed");

        // A step is counted as its result is published, which may be just after the reply; a
        // timed-out step's guest thread records the guest's memory when it has stopped, later
        // still.
        PrometheusText metrics = scrape();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((metrics.value("wasm_executor_guest_memory_bytes_count") < 5
                        || metrics.sum("wasm_executor_steps_total") < 5)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
            metrics = scrape();
        }

        assertThat(metrics.value("wasm_executor_steps_total", "phase", "Succeeded", "reason", "ok"))
                .isEqualTo(2);
        assertThat(
                        metrics.value(
                                "wasm_executor_steps_total",
                                "phase",
                                "Failed",
                                "reason",
                                "guest_error"))
                .isEqualTo(1);
        assertThat(metrics.value("wasm_executor_steps_total", "phase", "Failed", "reason", "trap"))
                .isEqualTo(1);
        assertThat(
                        metrics.value(
                                "wasm_executor_steps_total",
                                "phase",
                                "Failed",
                                "reason",
                                "timeout"))
                .isEqualTo(1);
        assertThat(metrics.value("wasm_executor_step_duration_seconds_count", "phase", "Failed"))
                .isEqualTo(3);
        assertThat(metrics.value("wasm_executor_step_duration_seconds_count", "phase", "Succeeded"))
                .isEqualTo(2);
        // The timed-out step alone took at least its 200 ms timeout.
        assertThat(metrics.value("wasm_executor_step_duration_seconds_sum", "phase", "Failed"))
                .isGreaterThanOrEqualTo(0.2);
        assertThat(metrics.value("wasm_executor_requests_total", "result", "executed"))
                .isEqualTo(5);
        assertThat(metrics.value("wasm_executor_stage_duration_seconds_count", "stage", "call"))
                .isEqualTo(5);
        assertThat(metrics.value("wasm_executor_guest_memory_bytes_count")).isEqualTo(5);
    }

    @Test
    void modulesAreFetchedAndCompiledOnceThenServedFromTheCache() throws Exception {
        phaseOf(step("first", "echo"));
        phaseOf(step("second", "echo"));
        phaseOf(step("third", "echo"));

        PrometheusText metrics = scrape();

        assertThat(
                        metrics.value(
                                "wasm_executor_module_fetches_total",
                                "source",
                                "url",
                                "result",
                                "ok"))
                .isEqualTo(3);
        assertThat(metrics.value("wasm_executor_module_compiles_total", "result", "ok"))
                .isEqualTo(1);
        assertThat(metrics.value("wasm_executor_module_compile_duration_seconds_count"))
                .isEqualTo(1);
        assertThat(metrics.value("wasm_executor_module_cache_requests_total", "result", "miss"))
                .isEqualTo(1);
        assertThat(metrics.value("wasm_executor_module_cache_requests_total", "result", "hit"))
                .isEqualTo(2);
        assertThat(metrics.value("wasm_executor_modules_loaded")).isEqualTo(1);
        assertThat(metrics.value("wasm_executor_memory_budget_bytes", "state", "capacity"))
                .isEqualTo(512L << 20);
        assertThat(metrics.value("wasm_executor_memory_budget_bytes", "state", "used"))
                .isPositive();
        assertThat(metrics.value("wasm_executor_max_concurrent")).isEqualTo(3);
        assertThat(metrics.value("wasm_executor_steps_in_flight")).isZero();
    }

    @Test
    void refusedRequestsAreCountedByOutcome() throws Exception {
        assertThat(post(step("any", "echo"), "wrong-token").statusCode()).isEqualTo(403);
        ObjectNode foreign = step("foreign", "echo");
        ((ObjectNode) foreign.get("template")).putObject("plugin").putObject("other");
        assertThat(post(foreign, TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> broken =
                client.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + server.port()
                                                        + PluginServer.EXECUTE_PATH))
                                .header("Authorization", "Bearer " + TOKEN)
                                .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(broken.statusCode()).isEqualTo(400);

        PrometheusText metrics = scrape();

        assertThat(metrics.value("wasm_executor_requests_total", "result", "forbidden"))
                .isEqualTo(1);
        assertThat(metrics.value("wasm_executor_requests_total", "result", "not_mine"))
                .isEqualTo(1);
        assertThat(metrics.value("wasm_executor_requests_total", "result", "bad_request"))
                .isEqualTo(1);
        assertThat(metrics.value("wasm_executor_requests_total", "result", "executed")).isZero();
    }

    @Test
    void nothingAWorkflowSuppliedBecomesALabel() throws Exception {
        phaseOf(step("secret-template-name", "fail"));

        String body = get("/metrics").body();

        assertThat(body)
                .doesNotContain("hello-wasm-x7k2p")
                .doesNotContain("secret-template-name")
                .doesNotContain("27c01e7c")
                .doesNotContain(conformanceUrl.toString())
                .doesNotContain("deliberate failure");
    }

    @Test
    void buildInfoJvmAndProcessMetricsAreServedWithoutAToken() throws Exception {
        PrometheusText metrics = scrape();

        assertThat(
                        metrics.value(
                                "wasm_executor_build_info",
                                "version",
                                "1.2.3-test",
                                "runtime",
                                "chicory",
                                "runtime_version",
                                "9.9.9",
                                "java_version",
                                System.getProperty("java.version")))
                .isEqualTo(1);
        assertThat(metrics.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
        assertThat(metrics.names()).contains("process_cpu_seconds_total", "jvm_threads_current");
    }

    @Test
    void healthzNamesTheVersion() throws Exception {
        HttpResponse<String> response = get("/healthz");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = Json.mapper().readTree(response.body());
        assertThat(health.get("status").asString()).isEqualTo("ok");
        assertThat(health.get("version").asString()).isNotBlank();
    }
}
