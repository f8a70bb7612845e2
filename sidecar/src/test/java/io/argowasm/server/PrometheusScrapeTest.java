package io.argowasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.ModuleHttpServer;
import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.metrics.PluginMetrics;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real Prometheus (Debian's {@code prometheus} package, which {@code .ci/run} installs) scrapes a
 * sidecar that served succeeding, failing and timed-out steps; its HTTP API must report what was
 * sent.
 */
class PrometheusScrapeTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final HttpClient client = HttpClient.newHttpClient();

    @TempDir Path dir;

    private ModuleHttpServer modules;
    private TemplateExecutor executor;
    private PluginServer server;
    private Process prometheus;

    @AfterEach
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (server != null) {
            server.close();
            executor.close();
            modules.close();
        }
    }

    private static Optional<Path> prometheusBinary() {
        return Stream.concat(
                        Stream.of(System.getenv("PATH").split(File.pathSeparator))
                                .map(d -> Path.of(d, "prometheus")),
                        Stream.of(Path.of("/usr/bin/prometheus")))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void prometheusSeesTheStepsTheSidecarServed() throws Exception {
        Optional<Path> binary = prometheusBinary();
        Assumptions.assumeTrue(
                binary.isPresent(),
                "SKIPPED: no prometheus binary on PATH; install it (apt-get install prometheus,"
                        + " as .ci/run does) to run the scrape test");
        startSidecar();
        for (int i = 0; i < 3; i++) {
            assertThat(phaseOf(step("ok-" + i, "echo", null))).isEqualTo("Succeeded");
        }
        for (int i = 0; i < 2; i++) {
            assertThat(phaseOf(step("fail-" + i, "fail", null))).isEqualTo("Failed");
        }
        assertThat(phaseOf(step("slow", "loop", "300ms"))).isEqualTo("Failed");

        URI api = startPrometheus(binary.get());

        assertThat(awaitValue(api, "up{job=\"wasm\"}", 1)).isEqualTo(1);
        assertThat(
                        awaitValue(
                                api,
                                "wasm_executor_steps_total{phase=\"Succeeded\",reason=\"ok\"}",
                                3))
                .isEqualTo(3);
        assertThat(
                        awaitValue(
                                api,
                                "wasm_executor_steps_total{phase=\"Failed\","
                                        + "reason=\"guest_error\"}",
                                2))
                .isEqualTo(2);
        assertThat(
                        awaitValue(
                                api,
                                "wasm_executor_steps_total{phase=\"Failed\",reason=\"timeout\"}",
                                1))
                .isEqualTo(1);
        assertThat(awaitValue(api, "wasm_executor_requests_total{result=\"executed\"}", 6))
                .isEqualTo(6);
        assertThat(
                        awaitValue(
                                api,
                                "sum(wasm_executor_step_duration_seconds_count{phase=\"Failed\"})",
                                3))
                .isEqualTo(3);
        // The slowest failed step ran for its 300 ms timeout, so the top of the distribution lies
        // in a bucket above 0.25 s; the quantile is interpolated within that bucket.
        double p99 =
                query(
                        api,
                        "histogram_quantile(0.99, sum by (le)"
                            + " (wasm_executor_step_duration_seconds_bucket{phase=\"Failed\"}))");
        assertThat(p99).isGreaterThan(0.25).isLessThanOrEqualTo(600);
        assertThat(query(api, "count(wasm_executor_build_info{runtime=\"chicory\"})")).isEqualTo(1);
    }

    private void startSidecar() {
        modules = new ModuleHttpServer();
        modules.serve("/conformance.wasm", TestModules.bytes(TestModules.test("conformance")));
        PluginMetrics metrics = new PluginMetrics("test", "test");
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(64L << 20, Duration.ofSeconds(10)), 64L << 20, 16);
        store.recordTo(metrics);
        executor = TemplateExecutor.builder(Json.mapper(), store).metrics(metrics).build();
        server = PluginServer.start(executor, TokenCheck.of(TOKEN), "127.0.0.1", 0, 1L << 20);
    }

    private URI startPrometheus(Path binary) throws Exception {
        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: wasm
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """
                        .formatted(server.port()));
        prometheus =
                new ProcessBuilder(
                                binary.toString(),
                                "--config.file=" + config,
                                "--storage.tsdb.path=" + dir.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("prometheus.log").toFile())
                        .start();
        return URI.create("http://127.0.0.1:%d/api/v1/query?query=".formatted(port));
    }

    /** Asks until the query reports {@code expected}, for at most a minute; returns the last. */
    private double awaitValue(URI api, String promql, double expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        double last = Double.NaN;
        while (System.nanoTime() < deadline) {
            try {
                last = query(api, promql);
                if (last == expected) {
                    return last;
                }
            } catch (java.io.IOException e) {
                // Prometheus is still starting.
            }
            Thread.sleep(250);
        }
        String log = Files.readString(dir.resolve("prometheus.log"));
        throw new AssertionError(
                "%s was %s, not %s, after a minute; prometheus log:%n%s"
                        .formatted(promql, last, expected, log));
    }

    /** The value of an instant query with one result, or NaN for none. */
    private static double query(URI api, String promql) throws Exception {
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                api
                                                        + URLEncoder.encode(
                                                                promql, StandardCharsets.UTF_8)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            // 503 while Prometheus opens its storage.
            throw new java.io.IOException(
                    "prometheus answered %d: %s".formatted(response.statusCode(), response.body()));
        }
        JsonNode result = Json.mapper().readTree(response.body()).at("/data/result");
        assertThat(result.size()).as("results of %s: %s", promql, response.body()).isLessThan(2);
        return result.isEmpty()
                ? Double.NaN
                : Double.parseDouble(result.get(0).get("value").get(1).asString());
    }

    private ObjectNode step(String template, String operation, String timeout) throws Exception {
        ObjectNode body =
                (ObjectNode)
                        Json.mapper()
                                .readTree(
                                        Files.readString(
                                                TestModules.argoFixture("wasm-parameters.json")));
        ObjectNode wasm = (ObjectNode) body.get("template").get("plugin").get("wasm");
        wasm.putObject("module").put("url", modules.url("/conformance.wasm").toString());
        wasm.put("operation", operation);
        if (timeout != null) {
            wasm.putObject("limits").put("timeout", timeout);
        }
        ((ObjectNode) body.get("template")).put("name", template).putObject("outputs");
        return body;
    }

    private String phaseOf(JsonNode body) throws Exception {
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + server.port()
                                                        + PluginServer.EXECUTE_PATH))
                                .header("Authorization", "Bearer " + TOKEN)
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body()).at("/node/phase").asString();
    }
}
