package io.argowasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.argo.Json;
import io.argowasm.exec.GoDuration;
import io.argowasm.server.PluginServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * Calls a sidecar over HTTP as Argo's agent does: the bearer token, and the same body again after
 * {@code requeue} for as long as the node is {@code Pending} or {@code Running}.
 */
final class AgentClient {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    /**
     * @param token the bearer token, or null for a sidecar started with {@code --no-auth}
     */
    AgentClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** One {@code template.execute} call; the reply must be a 200 with a JSON body. */
    JsonNode call(JsonNode body) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + PluginServer.EXECUTE_PATH))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    /**
     * Calls until the node is neither Pending nor Running, waiting {@code requeue} between calls.
     *
     * @param patience how long to keep asking before the test fails
     * @return the last reply's {@code node}
     */
    JsonNode execute(JsonNode body, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            JsonNode reply = call(body);
            String phase = reply.at("/node/phase").asString("");
            if (!phase.equals("Pending") && !phase.equals("Running")) {
                return reply.get("node");
            }
            assertThat(reply.path("requeue").asString(""))
                    .as("a %s reply asks to be called again", phase)
                    .isNotEmpty();
            assertThat(System.nanoTime())
                    .as("still %s after %s: %s", phase, patience, reply)
                    .isLessThan(deadline);
            Thread.sleep(GoDuration.parse(reply.get("requeue").asString()).toMillis());
        }
    }

    /**
     * Like {@link #execute}, and also asks again after a 503, as Argo's agent retries a sidecar
     * that is shutting down or short of memory.
     */
    JsonNode executeRetryingUnavailable(JsonNode body, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(base + PluginServer.EXECUTE_PATH))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(System.nanoTime())
                    .as("still no answer after %s", patience)
                    .isLessThan(deadline);
            if (response.statusCode() == 503) {
                Thread.sleep(500);
                continue;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode node = Json.mapper().readTree(response.body()).get("node");
            String phase = node.path("phase").asString("");
            if (!phase.equals("Pending") && !phase.equals("Running")) {
                return node;
            }
            Thread.sleep(1000);
        }
    }

    /** The status code of {@code GET /healthz}. */
    int healthz() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Whether anything answers HTTP on the port yet. */
    boolean answers() {
        try {
            return healthz() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
