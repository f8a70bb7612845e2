package io.argowasm.server;

import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.ExecuteTemplateReply;
import io.argowasm.argo.Json;
import io.argowasm.budget.OutOfBudgetException;
import io.argowasm.exec.GoDuration;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.metrics.BuildInfo;
import io.argowasm.metrics.PluginMetrics;
import io.argowasm.metrics.PluginMetrics.RequestResult;
import io.argowasm.server.ExecuteRequest.BadRequestException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson3;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor plugin's HTTP face: {@code POST /api/v1/template.execute} as Argo's agent calls it,
 * {@code GET /healthz} for the probes and {@code GET /metrics} for Prometheus. Neither GET needs
 * the token: they reveal nothing a workflow supplied.
 */
public final class PluginServer implements AutoCloseable {

    public static final String EXECUTE_PATH = "/api/v1/template.execute";

    private static final Logger log = LoggerFactory.getLogger(PluginServer.class);
    private static final int MAX_REQUEST_THREADS = 64;
    private static final int MIN_REQUEST_THREADS = 8;
    private static final int MAX_WAITING_CALLS = 200;
    private static final int IDLE_MILLIS = 30_000;
    private static final int DISCARD_FACTOR = 4;
    private static final Duration SUMMARY_PERIOD = Duration.ofMinutes(1);

    /**
     * Heap one body byte costs while its call is answered: the bytes, the parsed tree and the
     * records made from it.
     */
    private static final long BODY_HEAP_FACTOR = 4;

    /**
     * Bodies up to this size (Argo's are a few KiB) are not charged: the heap's reserve outside the
     * budget holds every request thread and waiting call with one, so that asking about a running
     * step never waits for memory.
     */
    private static final long UNCHARGED_BODY_BYTES = 64 << 10;

    /** How long {@link #close()} lets answers already decided reach their callers. */
    private static final long DRAIN_MILLIS = 5_000;

    private final TemplateExecutor executor;
    private final PluginMetrics metrics;
    private final TokenCheck token;
    private final long maxBodyBytes;
    private final ExecutorService waitingCalls = waitingCalls();
    private final AtomicInteger callsInFlight = new AtomicInteger();
    private final ScheduledExecutorService summaries =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "refusal-summary");
                        t.setDaemon(true);
                        return t;
                    });
    private final RefusalSummary refusals;
    private final Javalin app;

    private PluginServer(
            TemplateExecutor executor, TokenCheck token, String host, int port, long maxBodyBytes) {
        this.executor = executor;
        this.metrics = executor.metrics();
        this.token = token;
        this.maxBodyBytes = maxBodyBytes;
        this.refusals = new RefusalSummary(metrics, GoDuration.format(SUMMARY_PERIOD));
        summaries.scheduleWithFixedDelay(
                refusals, SUMMARY_PERIOD.toSeconds(), SUMMARY_PERIOD.toSeconds(), TimeUnit.SECONDS);
        JavalinJackson3 jsonMapper = new JavalinJackson3(Json.mapper(), false);
        // Javalin sets its mapper up lazily without a lock: replies answered at once from
        // several threads could find it half set up (a NullPointerException, answered as 500).
        jsonMapper.getMapper();
        this.app =
                Javalin.create(
                        config -> {
                            config.jsonMapper(jsonMapper);
                            config.startup.showJavalinBanner = false;
                            config.startup.showOldJavalinVersionWarning = false;
                            config.http.maxRequestSize = maxBodyBytes;
                            config.jetty.threadPool = requestThreads();
                            config.jetty.host = host;
                            config.jetty.port = port;
                            config.routes.post(EXECUTE_PATH, this::execute);
                            config.routes.get("/healthz", PluginServer::healthz);
                            config.routes.get("/metrics", this::metrics);
                            config.routes.exception(Exception.class, this::unexpected);
                        });
    }

    /**
     * The threads that read requests and answer the probes. None of them waits for a step, so
     * {@code /healthz} is answered at once however many calls are waiting. Jetty's default lets one
     * idle thread go per idle timeout, which would hold a burst's threads for an hour, so all idle
     * ones go.
     */
    private static QueuedThreadPool requestThreads() {
        QueuedThreadPool threads =
                new QueuedThreadPool(MAX_REQUEST_THREADS, MIN_REQUEST_THREADS, IDLE_MILLIS);
        threads.setName("http");
        threads.setMaxEvictCount(MAX_REQUEST_THREADS);
        return threads;
    }

    /**
     * The threads on which execute calls wait for their step, up to the reply window each; idle
     * ones are reused, and go after the idle timeout.
     */
    private static ExecutorService waitingCalls() {
        AtomicInteger threads = new AtomicInteger();
        return new ThreadPoolExecutor(
                0,
                MAX_WAITING_CALLS,
                IDLE_MILLIS,
                TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "execute-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
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

    /** The body of {@code /healthz}. */
    private record Health(String status, String version) {}

    private static final Health HEALTHY = new Health("ok", BuildInfo.version());

    private static void healthz(Context ctx) {
        ctx.json(HEALTHY);
    }

    private void metrics(Context ctx) throws IOException {
        ctx.contentType(metrics.contentType());
        metrics.write(ctx.outputStream());
    }

    private void execute(Context ctx) {
        if (!token.accepts(ctx.header("Authorization"))) {
            metrics.request(RequestResult.FORBIDDEN);
            ctx.status(HttpStatus.FORBIDDEN).result("forbidden: missing or wrong bearer token");
            return;
        }
        if (!executor.accepting()) {
            metrics.request(RequestResult.SHUTTING_DOWN);
            // 503 is retried by the agent, so a step is never failed by a restart.
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("the wasm plugin is shutting down");
            return;
        }
        if (ctx.contentLength() > maxBodyBytes) {
            discardBody(ctx, ctx.contentLength());
            tooLarge(ctx);
            return;
        }
        long charge =
                BODY_HEAP_FACTOR * (ctx.contentLength() > 0 ? ctx.contentLength() : maxBodyBytes);
        try {
            executor.memoryBudget().charge(charge, "a request body");
        } catch (OutOfBudgetException e) {
            // The agent retries a 503: the body is read when running steps have given memory back.
            discardBody(ctx, ctx.contentLength());
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .result(
                            "the wasm plugin's memory is held by running steps (%s); ask again later"
                                    .formatted(e.getMessage()));
            return;
        }
        callsInFlight.incrementAndGet();
        boolean handedOver = false;
        try {
            handedOver = answer(ctx, charge);
        } finally {
            if (!handedOver) {
                finished(charge);
            }
        }
    }

    private void finished(long charge) {
        executor.memoryBudget().release(charge);
        callsInFlight.decrementAndGet();
    }

    /**
     * Reads, parses and answers one charged call.
     *
     * @return true when the answer is left to a waiting call, which gives the charge back
     */
    private boolean answer(Context ctx, long charge) {
        byte[] body;
        try {
            body = ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            // Javalin stops reading a body sent without a length at the same cap.
            if (e.getStatus() != HttpStatus.CONTENT_TOO_LARGE.getCode()) {
                throw e;
            }
            tooLarge(ctx);
            return false;
        }
        Optional<ExecuteTemplateArgs> args;
        try {
            args = ExecuteRequest.read(body);
        } catch (BadRequestException e) {
            badRequest(ctx, e.getMessage());
            return false;
        }
        if (args.isEmpty()) {
            metrics.request(RequestResult.NOT_MINE);
            ctx.json(ExecuteTemplateReply.NOT_MINE);
            return false;
        }
        CompletableFuture<ExecuteTemplateReply> reply;
        try {
            reply = CompletableFuture.supplyAsync(() -> executor.execute(args.get()), waitingCalls);
        } catch (RejectedExecutionException e) {
            metrics.request(RequestResult.BUSY);
            // The agent retries a 503, so the step waits rather than fails.
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .result(
                            "all %d waiting calls of the wasm plugin are taken; ask again later"
                                    .formatted(MAX_WAITING_CALLS));
            return false;
        }
        // The request thread is given back while the call waits for its step.
        ctx.future(
                () -> reply.thenAccept(ctx::json).whenComplete((done, error) -> finished(charge)));
        return true;
    }

    /**
     * Reads and drops a refused body that is not much larger than the cap, so the client, still
     * sending it, gets to read the 413 instead of a reset connection; a far larger one is not read
     * at all.
     */
    private void discardBody(Context ctx, long length) {
        if (length > DISCARD_FACTOR * maxBodyBytes) {
            return;
        }
        try (InputStream body = ctx.req().getInputStream()) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The client went away; there is nobody to answer.
        }
    }

    private void tooLarge(Context ctx) {
        metrics.request(RequestResult.BAD_REQUEST);
        long length = ctx.contentLength();
        String error =
                ("request body%s is over the sidecar's cap of %s bytes; raise %s on the sidecar,"
                                + " or pass less data through parameters (artifacts carry large"
                                + " data)")
                        .formatted(
                                length > 0 ? " of %d bytes".formatted(length) : "",
                                maxBodyBytes,
                                ServerFlags.MAX_BODY_SIZE);
        ctx.status(HttpStatus.CONTENT_TOO_LARGE).json(Map.of("error", error));
    }

    private void badRequest(Context ctx, String reason) {
        metrics.request(RequestResult.BAD_REQUEST);
        ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", reason));
    }

    private void unexpected(Exception e, Context ctx) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException || cause instanceof IOException) {
                unreadable(ctx, cause);
                return;
            }
        }
        log.error("unexpected error answering {} {}", ctx.method(), ctx.path(), e);
        ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .json(Map.of("error", "internal error: %s".formatted(e)));
    }

    /**
     * Answers a request that broke HTTP while its body was read (bad chunk framing, a body shorter
     * than announced): the client's fault, so a 4xx, not a 500 and not an error in the log.
     */
    private void unreadable(Context ctx, Throwable cause) {
        metrics.request(RequestResult.BAD_REQUEST);
        int status =
                cause instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500
                        ? http.getCode()
                        : HttpStatus.BAD_REQUEST.getCode();
        log.debug("unreadable request {} {}", ctx.method(), ctx.path(), cause);
        ctx.status(status)
                .json(
                        Map.of(
                                "error",
                                "the request could not be read: %s (%s)"
                                        .formatted(
                                                cause.getMessage(),
                                                cause.getClass().getSimpleName())));
    }

    /**
     * Stops the server once the calls in flight have been answered (at most a few seconds): after
     * the executor's shutdown has decided their answers, they still reach the agent.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        boolean answering = callsInFlight.get() > 0;
        try {
            while (callsInFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (answering) {
                // The last answers are decided; give Jetty a moment to write them out.
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        summaries.shutdownNow();
        refusals.run();
        app.stop();
        waitingCalls.shutdownNow();
    }
}
