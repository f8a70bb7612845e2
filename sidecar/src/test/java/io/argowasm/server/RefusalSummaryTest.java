package io.argowasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.argo.Json;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.logging.LogSettings;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Refused requests are summarised in one log line per period, not logged one by one. */
class RefusalSummaryTest {

    @Test
    void aBurstOfForbiddenRequestsIsOneSummaryLine() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        ModuleStore store =
                new ModuleStore(new ModuleFetcher(1L << 20, Duration.ofSeconds(5)), 1L << 20, 4);
        TemplateExecutor executor = TemplateExecutor.builder(Json.mapper(), store).build();
        PluginServer server =
                PluginServer.start(
                        executor,
                        TokenCheck.of("0123456789abcdef0123456789abcdef"),
                        "127.0.0.1",
                        0,
                        1L << 20);
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LogSettings.format(LogSettings.Format.JSON);
        try {
            HttpClient client = HttpClient.newHttpClient();
            for (int i = 0; i < 25; i++) {
                HttpResponse<String> response =
                        client.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:%d%s"
                                                                .formatted(
                                                                        server.port(),
                                                                        PluginServer.EXECUTE_PATH)))
                                        .header("Authorization", "Bearer wrong")
                                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(403);
            }
            server.close();
        } finally {
            System.setErr(originalErr);
            LogSettings.format(LogSettings.Format.TEXT);
            executor.close();
        }

        List<JsonNode> lines =
                captured.toString(StandardCharsets.UTF_8)
                        .lines()
                        .filter(l -> !l.isBlank())
                        .map(Json.mapper()::readTree)
                        .toList();
        assertThat(lines).hasSize(1);
        JsonNode summary = lines.get(0);
        assertThat(summary.get("msg").asString()).isEqualTo("requests refused");
        assertThat(summary.get("forbidden").asInt()).isEqualTo(25);
        assertThat(summary.get("badRequest").asInt()).isZero();
        assertThat(summary.get("period").asString()).isEqualTo("1m0s");
    }
}
