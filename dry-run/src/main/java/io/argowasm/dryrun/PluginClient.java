package io.argowasm.dryrun;

import io.argowasm.argo.Json;
import io.argowasm.exec.GoDuration;
import io.argowasm.server.PluginServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls the plugin's {@code template.execute} endpoint as Argo's agent does: bearer token, the same
 * body, and a new call after {@code requeue} while the node is {@code Pending} or {@code Running}.
 */
final class PluginClient {

    private final HttpClient http;
    private final URI endpoint;
    private final String token;

    PluginClient(int port, String token) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.endpoint = URI.create("http://127.0.0.1:" + port + PluginServer.EXECUTE_PATH);
        this.token = token;
    }

    /**
     * The final node of a template: its reply's {@code node}, once neither Pending nor Running.
     *
     * @param onWait told the message of each Pending/Running reply
     * @throws StepError when the plugin refuses the template or answers outside the contract
     */
    JsonNode execute(ObjectNode body, String template, Consumer<String> onWait)
            throws InterruptedException {
        byte[] request = Json.mapper().writeValueAsBytes(body);
        while (true) {
            JsonNode reply = call(request, template);
            JsonNode node = reply.path("node");
            if (!node.isObject()) {
                throw new StepError(
                        "the wasm plugin did not take template '"
                                + template
                                + "' (it answered {}); its plugin block must be plugin: {wasm:"
                                + " {...}}");
            }
            String phase = node.path("phase").asString("");
            if (!phase.equals("Pending") && !phase.equals("Running")) {
                return node;
            }
            String requeue = reply.path("requeue").asString("");
            if (requeue.isEmpty()) {
                throw new StepError(
                        "the plugin answered "
                                + phase
                                + " for template '"
                                + template
                                + "' without requeue; Argo would never ask again");
            }
            onWait.accept(node.path("message").asString(phase));
            Thread.sleep(GoDuration.parse(requeue).toMillis());
        }
    }

    private JsonNode call(byte[] body, String template) throws InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(endpoint)
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new StepError(
                    "calling the in-process plugin for template '" + template + "' failed: " + e);
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != 200) {
            throw new StepError(
                    "the plugin answered HTTP "
                            + response.statusCode()
                            + " for template '"
                            + template
                            + "': "
                            + text);
        }
        try {
            return Json.mapper().readTree(text);
        } catch (JacksonException e) {
            throw new StepError(
                    "the plugin's reply for template '" + template + "' is not JSON: " + text);
        }
    }
}
