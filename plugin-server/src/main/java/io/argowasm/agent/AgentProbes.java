package io.argowasm.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.argowasm.metrics.PluginMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The agent's HTTP endpoints for Kubernetes and Prometheus: {@code /healthz} (alive), {@code
 * /readyz} (its informers have listed the task sets) and {@code /metrics}. The agent takes no
 * requests otherwise, so the JDK's small server is enough.
 */
public final class AgentProbes implements AutoCloseable {

    private final HttpServer server;

    private AgentProbes(HttpServer server) {
        this.server = server;
    }

    public static AgentProbes start(
            String host, int port, BooleanSupplier ready, PluginMetrics metrics)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/healthz", exchange -> answer(exchange, 200, "ok\n"));
        server.createContext(
                "/readyz",
                exchange ->
                        answer(
                                exchange,
                                ready.getAsBoolean() ? 200 : 503,
                                ready.getAsBoolean() ? "ready\n" : "task sets not listed yet\n"));
        server.createContext(
                "/metrics",
                exchange -> {
                    exchange.getResponseHeaders().set("Content-Type", metrics.contentType());
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        metrics.write(out);
                    }
                });
        server.start();
        return new AgentProbes(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
