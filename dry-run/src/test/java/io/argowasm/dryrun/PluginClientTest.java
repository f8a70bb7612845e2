package io.argowasm.dryrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.argo.NodeResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The agent's side of the HTTP contract, against a scripted plugin. */
class PluginClientTest {

    private final Deque<String> replies = new ConcurrentLinkedDeque<>();
    private final List<String> authorizations = new ArrayList<>();
    private HttpServer server;

    private PluginClient client(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/api/v1/template.execute",
                exchange -> {
                    authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                    exchange.getRequestBody().readAllBytes();
                    byte[] body = replies.pop().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(status, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();
        return new PluginClient(server.getAddress().getPort(), "secret");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static ObjectNode body() {
        return Json.mapper().createObjectNode();
    }

    @Test
    void callsAgainAfterRequeueUntilTheNodeIsDone() throws Exception {
        replies.add("{\"node\":{\"phase\":\"Pending\",\"message\":\"busy\"},\"requeue\":\"10ms\"}");
        replies.add(
                "{\"node\":{\"phase\":\"Running\",\"message\":\"still"
                        + " going\"},\"requeue\":\"10ms\"}");
        replies.add("{\"node\":{\"phase\":\"Succeeded\",\"message\":\"done\"}}");
        List<String> waits = new ArrayList<>();
        NodeResult node = client(200).execute(body(), "greet", waits::add);
        assertThat(node.phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(node.message()).isEqualTo("done");
        assertThat(waits).containsExactly("busy", "still going");
        assertThat(authorizations).hasSize(3).allMatch("Bearer secret"::equals);
    }

    @Test
    void anEmptyReplyMeansTheTemplateIsNotTheWasmPlugins() throws Exception {
        replies.add("{}");
        PluginClient client = client(200);
        assertThatThrownBy(() -> client.execute(body(), "greet", w -> {}))
                .isInstanceOf(NodeErrorException.class)
                .hasMessageContaining(
                        "the wasm plugin did not take template 'greet' (it answered {})");
    }

    @Test
    void runningWithoutRequeueIsAnError() throws Exception {
        replies.add("{\"node\":{\"phase\":\"Running\"}}");
        PluginClient client = client(200);
        assertThatThrownBy(() -> client.execute(body(), "greet", w -> {}))
                .hasMessageContaining("answered Running for template 'greet' without requeue");
    }

    @Test
    void anHttpErrorNamesTheStatusAndTemplate() throws Exception {
        replies.add("forbidden: missing or wrong bearer token");
        PluginClient client = client(403);
        assertThatThrownBy(() -> client.execute(body(), "greet", w -> {}))
                .hasMessage(
                        "the plugin answered HTTP 403 for template 'greet': forbidden: missing or"
                                + " wrong bearer token");
    }
}
