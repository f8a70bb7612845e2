package io.argowasm.dryrun;

import io.argowasm.argo.ExecuteTemplateReply;
import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.argo.NodeResult;
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
        this.endpoint =
                URI.create("http://127.0.0.1:%d%s".formatted(port, PluginServer.EXECUTE_PATH));
        this.token = token;
    }

    /**
     * The final node of a template: its reply's {@code node}, once neither Pending nor Running.
     *
     * @param onWait told the message of each Pending/Running reply
     * @throws NodeErrorException when the plugin refuses the template or answers outside the
     *     contract
     */
    NodeResult execute(ObjectNode body, String template, Consumer<String> onWait)
            throws InterruptedException {
        byte[] request = Json.mapper().writeValueAsBytes(body);
        while (true) {
            ExecuteTemplateReply reply = call(request, template);
            NodeResult node = reply.node();
            if (node == null) {
                throw new NodeErrorException(
                        ("the wasm plugin did not take template '%s' (it answered {}); its plugin"
                                        + " block must be plugin: {wasm: {...}}")
                                .formatted(template));
            }
            if (node.phase() != NodePhase.Pending && node.phase() != NodePhase.Running) {
                return node;
            }
            if (reply.requeue() == null || reply.requeue().isEmpty()) {
                throw new NodeErrorException(
                        "the plugin answered %s for template '%s' without requeue; Argo would never ask again"
                                .formatted(node.phase(), template));
            }
            onWait.accept(node.message() != null ? node.message() : node.phase().name());
            Thread.sleep(GoDuration.parse(reply.requeue()).toMillis());
        }
    }

    private ExecuteTemplateReply call(byte[] body, String template) throws InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(endpoint)
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer %s".formatted(token))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new NodeErrorException(
                    "calling the in-process plugin for template '%s' failed: %s"
                            .formatted(template, e));
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != 200) {
            throw new NodeErrorException(
                    "the plugin answered HTTP %d for template '%s': %s"
                            .formatted(response.statusCode(), template, text));
        }
        try {
            return Json.mapper().readValue(text, ExecuteTemplateReply.class);
        } catch (JacksonException e) {
            throw new NodeErrorException(
                    "the plugin's reply for template '%s' is not Argo's ExecuteTemplateReply: %s"
                            .formatted(template, text));
        }
    }
}
