package io.argowasm.server;

import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.ExecuteTemplateReply;
import io.argowasm.exec.TemplateExecutor;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson3;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The executor plugin's HTTP face: {@code POST /api/v1/template.execute} as Argo's agent calls it,
 * and {@code GET /healthz} for the probes.
 */
public final class PluginServer implements AutoCloseable {

    public static final String EXECUTE_PATH = "/api/v1/template.execute";

    private static final Logger log = LoggerFactory.getLogger(PluginServer.class);

    private final TemplateExecutor executor;
    private final TokenCheck token;
    private final Javalin app;

    private PluginServer(
            TemplateExecutor executor, TokenCheck token, String host, int port, long maxBodyBytes) {
        this.executor = executor;
        this.token = token;
        this.app =
                Javalin.create(
                        config -> {
                            config.jsonMapper(new JavalinJackson3(Json.mapper(), false));
                            config.startup.showJavalinBanner = false;
                            config.startup.showOldJavalinVersionWarning = false;
                            config.http.maxRequestSize = maxBodyBytes;
                            config.jetty.host = host;
                            config.jetty.port = port;
                            config.routes.post(EXECUTE_PATH, this::execute);
                            config.routes.get("/healthz", ctx -> ctx.result("ok"));
                            config.routes.exception(Exception.class, this::unexpected);
                        });
    }

    /** Starts a server; port 0 picks a free port (see {@link #port()}). */
    public static PluginServer start(
            TemplateExecutor executor, TokenCheck token, String host, int port, long maxBodyBytes) {
        PluginServer server = new PluginServer(executor, token, host, port, maxBodyBytes);
        server.app.start();
        return server;
    }

    public int port() {
        return app.port();
    }

    private void execute(Context ctx) {
        if (!token.accepts(ctx.header("Authorization"))) {
            ctx.status(HttpStatus.FORBIDDEN).result("forbidden: missing or wrong bearer token");
            return;
        }
        if (!executor.accepting()) {
            // 503 is retried by the agent, so a step is never failed by a restart.
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("the wasm plugin is shutting down");
            return;
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(ctx.bodyAsBytes());
        } catch (JacksonException e) {
            badRequest(ctx, "malformed JSON: " + e.getOriginalMessage());
            return;
        }
        if (body == null || !body.isObject() || !body.path("template").isObject()) {
            badRequest(ctx, "not a template.execute request: the body needs a 'template' object");
            return;
        }
        if (!body.path("template").path("plugin").has(TemplateExecutor.PLUGIN_NAME)) {
            ctx.json(ExecuteTemplateReply.NOT_MINE);
            return;
        }
        ExecuteTemplateArgs args;
        try {
            args = Json.mapper().treeToValue(body, ExecuteTemplateArgs.class);
        } catch (JacksonException e) {
            badRequest(ctx, "the template does not have Argo's shape: " + e.getOriginalMessage());
            return;
        }
        ctx.json(executor.execute(args));
    }

    private static void badRequest(Context ctx, String reason) {
        ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", reason));
    }

    private void unexpected(Exception e, Context ctx) {
        log.error("unexpected error answering {} {}", ctx.method(), ctx.path(), e);
        ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(Map.of("error", "internal error: " + e));
    }

    @Override
    public void close() {
        app.stop();
    }
}
