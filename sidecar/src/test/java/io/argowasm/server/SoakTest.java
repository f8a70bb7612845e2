package io.argowasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.exec.ExecutionLimits;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.Digests;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleSourcePolicy;
import io.argowasm.module.ModuleStore;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tens of thousands of invocations at concurrency 32 over loopback HTTP, mixing steps that succeed,
 * fail, trap, time out and outlive the reply window, while the client behaves like Argo's agent: it
 * asks again after {@code Running} or {@code Pending}, sends some bodies twice at once, and sends
 * some again after "losing" the reply. Every invocation must end in exactly the result its kind
 * calls for, carrying its own token, identical across its retries; afterwards the sidecar's heap
 * and threads return to where they started.
 *
 * <p>Tagged {@code soak} and excluded by default; see plugin-server/README.md for the command.
 */
@Tag("soak")
class SoakTest {

    private static final int INVOCATIONS = Integer.getInteger("soak.invocations", 30_000);
    private static final int CONCURRENCY = 32;
    private static final String TOKEN = "soak-token";
    private static final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** What a step does, and what its final node must say. */
    enum Kind {
        SUCCEEDS("Succeeded", null),
        FAILS("Failed", "deliberate failure"),
        TRAPS("Failed", "trapped"),
        TIMES_OUT("Failed", "timed out after 100ms"),
        OUTLIVES_THE_REPLY_WINDOW("Succeeded", null);

        final String phase;
        final String message;

        Kind(String phase, String message) {
            this.phase = phase;
            this.message = message;
        }

        /** 85% succeed, 10% fail, 3% trap, 1% time out, 1% run past the reply window. */
        static Kind of(int i) {
            int slot = i % 100;
            if (slot < 85) {
                return SUCCEEDS;
            }
            if (slot < 95) {
                return FAILS;
            }
            if (slot < 98) {
                return TRAPS;
            }
            return slot == 98 ? TIMES_OUT : OUTLIVES_THE_REPLY_WINDOW;
        }
    }

    /** How the client sends an invocation, as Argo's agent might. */
    enum Delivery {
        ONCE,
        TWICE_AT_ONCE,
        AGAIN_AFTER_A_LOST_REPLY;

        /** 80% once, 12% twice at once, 8% again after a lost reply. */
        static Delivery of(int i) {
            int slot = (i / 100 + i * 7) % 25;
            return slot < 20 ? ONCE : slot < 23 ? TWICE_AT_ONCE : AGAIN_AFTER_A_LOST_REPLY;
        }
    }

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    private final LongAdder requests = new LongAdder();

    /** Sends the second copy of a body sent twice at once. */
    private final ExecutorService duplicates = Executors.newCachedThreadPool();

    private String echoDigest;
    private String conformanceDigest;
    private int port;

    @Test
    void everyInvocationEndsOnceWithItsOwnResultAndTheSidecarReturnsToBaseline() throws Exception {
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(
                                8L << 20,
                                Duration.ofSeconds(5),
                                ModuleSourcePolicy.builder().build()),
                        8L << 20,
                        8);
        byte[] echo = TestModules.bytes(TestModules.test("echo"));
        byte[] conformance = TestModules.bytes(TestModules.test("conformance"));
        echoDigest = Digests.sha256(echo);
        conformanceDigest = Digests.sha256(conformance);
        store.offer(echoDigest, () -> echo);
        store.offer(conformanceDigest, () -> conformance);
        TemplateExecutor executor =
                TemplateExecutor.builder(Json.mapper(), store)
                        .limits(
                                new ExecutionLimits(
                                        Duration.ofSeconds(30),
                                        Duration.ofMinutes(1),
                                        16L << 20,
                                        64L << 20))
                        .maxConcurrent(CONCURRENCY)
                        .slotWait(Duration.ofMillis(500))
                        .replyWithin(Duration.ofMillis(200))
                        .requeue(Duration.ofMillis(50))
                        .build();
        PluginServer server =
                PluginServer.start(executor, TokenCheck.of(TOKEN), "127.0.0.1", 0, 1L << 20);
        port = server.port();
        try {
            for (int i = 0; i < 200; i++) {
                invoke(-1 - i, Kind.SUCCEEDS, Delivery.ONCE);
            }
            Snapshot before = Snapshot.settled(0, 0);
            counts.clear();
            long start = System.nanoTime();
            AtomicInteger next = new AtomicInteger();
            ExecutorService workers = Executors.newFixedThreadPool(CONCURRENCY);
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < CONCURRENCY; w++) {
                running.add(
                        workers.submit(
                                () -> {
                                    for (int i = next.getAndIncrement();
                                            i < INVOCATIONS;
                                            i = next.getAndIncrement()) {
                                        invoke(i, Kind.of(i), Delivery.of(i));
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            workers.shutdown();
            duplicates.shutdown();
            long wallMillis = (System.nanoTime() - start) / 1_000_000;
            Snapshot after = Snapshot.settled(before.threads(), before.heapBytes());
            System.out.printf(
                    "soak: %d invocations (%d HTTP requests) at concurrency %d in %.1f s"
                            + " (%.0f invocations/s)%n",
                    INVOCATIONS,
                    requests.sum(),
                    CONCURRENCY,
                    wallMillis / 1000.0,
                    INVOCATIONS * 1000.0 / wallMillis);
            System.out.println("soak: outcomes " + new java.util.TreeMap<>(counts));
            System.out.printf(
                    "soak: threads %d before, %d after; heap %d MiB before, %d MiB after"
                            + " (settled in %d s)%n",
                    before.threads(),
                    after.threads(),
                    before.heapBytes() >> 20,
                    after.heapBytes() >> 20,
                    after.settleSeconds());
            System.out.println("soak: threads after, by name: " + threadsByName());
            System.out.println("soak: problems " + problems.size());
            problems.stream().limit(20).forEach(p -> System.out.println("soak: problem: " + p));
            assertThat(problems).isEmpty();
            assertThat(after.threads()).isLessThanOrEqualTo(before.threads() + 2);
            assertThat(after.heapBytes()).isLessThan(before.heapBytes() + (32L << 20));
        } finally {
            server.close();
            executor.close();
        }
    }

    /** One invocation, delivered as the agent might, checked against what its kind calls for. */
    private void invoke(int i, Kind kind, Delivery delivery) throws Exception {
        String body = body(i, kind).toString();
        List<JsonNode> finals = new ArrayList<>();
        switch (delivery) {
            case ONCE -> finals.add(untilFinal(body));
            case TWICE_AT_ONCE -> {
                CompletableFuture<JsonNode> other =
                        CompletableFuture.supplyAsync(
                                () -> {
                                    try {
                                        return untilFinal(body);
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                },
                                duplicates);
                finals.add(untilFinal(body));
                finals.add(other.get());
            }
            case AGAIN_AFTER_A_LOST_REPLY -> {
                untilFinal(body);
                finals.add(untilFinal(body));
            }
        }
        String token = token(i);
        JsonNode first = finals.get(0);
        for (JsonNode node : finals) {
            if (!node.equals(first)) {
                problems.add(i + " (" + kind + ", " + delivery + "): replies differ: " + finals);
                return;
            }
        }
        String phase = first.path("phase").asString();
        String message = first.path("message").asString("");
        String output = first.at("/outputs/parameters/0/value").asString("");
        boolean right =
                phase.equals(kind.phase)
                        && switch (kind) {
                            case SUCCEEDS -> output.equals(token);
                            case OUTLIVES_THE_REPLY_WINDOW -> output.equals("400");
                            case FAILS -> message.contains(kind.message) && message.contains(token);
                            default -> message.contains(kind.message);
                        };
        if (!right) {
            problems.add(i + " (" + kind + ", " + delivery + "): wrong reply " + first);
            return;
        }
        counts.computeIfAbsent(kind + " " + delivery, k -> new LongAdder()).increment();
    }

    /** Posts the body until the node is final, as the agent does after Running or Pending. */
    private JsonNode untilFinal(String body) throws Exception {
        for (int attempt = 0; attempt < 2_000; attempt++) {
            requests.increment();
            HttpResponse<String> response =
                    client.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + port
                                                            + PluginServer.EXECUTE_PATH))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "HTTP " + response.statusCode() + ": " + response.body());
            }
            JsonNode node = Json.mapper().readTree(response.body()).path("node");
            String phase = node.path("phase").asString();
            if (!phase.equals("Running") && !phase.equals("Pending")) {
                return node;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no final reply after 2000 requests: " + body);
    }

    private static String token(int i) {
        return "token-" + i;
    }

    private ObjectNode body(int i, Kind kind) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("workflow")
                .putObject("metadata")
                .put("name", "soak")
                .put("namespace", "argo")
                .put("uid", "soak-" + i);
        ObjectNode template = body.putObject("template");
        template.put("name", kind.name().toLowerCase(java.util.Locale.ROOT));
        template.putObject("inputs")
                .putArray("parameters")
                .addObject()
                .put("name", "token")
                .put("value", token(i));
        ObjectNode outputs = template.putObject("outputs");
        ObjectNode wasm = template.putObject("plugin").putObject(TemplateExecutor.PLUGIN_NAME);
        ObjectNode module = wasm.putObject("module");
        switch (kind) {
            case SUCCEEDS -> {
                module.put("url", "https://modules.test/echo.wasm").put("sha256", echoDigest);
                outputs.putArray("parameters").addObject().put("name", "token");
            }
            case OUTLIVES_THE_REPLY_WINDOW -> {
                module.put("url", "https://modules.test/c.wasm").put("sha256", conformanceDigest);
                wasm.put("operation", "wait-ms");
                wasm.putObject("options").put("ms", 400);
                outputs.putArray("parameters").addObject().put("name", "waited");
            }
            default -> {
                module.put("url", "https://modules.test/c.wasm").put("sha256", conformanceDigest);
                wasm.put(
                        "operation",
                        switch (kind) {
                            case FAILS -> "fail";
                            case TRAPS -> "trap";
                            default -> "loop";
                        });
                if (kind == Kind.TIMES_OUT) {
                    wasm.putObject("limits").put("timeout", "100ms");
                }
            }
        }
        return body;
    }

    private static Map<String, Long> threadsByName() {
        return Thread.getAllStackTraces().keySet().stream()
                .collect(
                        java.util.stream.Collectors.groupingBy(
                                t -> t.getName().replaceAll("[0-9]+", "N"),
                                java.util.TreeMap::new,
                                java.util.stream.Collectors.counting()));
    }

    /** Threads and used heap, measured once idle threads have ended and garbage is collected. */
    private record Snapshot(int threads, long heapBytes, long settleSeconds) {

        /**
         * Waits, up to three minutes, for the counts to come down to a baseline (idle pool threads
         * end after 60 s, finished invocations are kept 60 s), then measures.
         */
        static Snapshot settled(int baselineThreads, long baselineHeap) throws Exception {
            long start = System.nanoTime();
            Snapshot now = measure(start);
            while (baselineThreads > 0
                    && (now.threads() > baselineThreads + 2
                            || now.heapBytes() >= baselineHeap + (32L << 20))
                    && System.nanoTime() - start < Duration.ofMinutes(3).toNanos()) {
                Thread.sleep(2_000);
                now = measure(start);
            }
            return now;
        }

        private static Snapshot measure(long start) throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            return new Snapshot(
                    Thread.activeCount(),
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                    (System.nanoTime() - start) / 1_000_000_000L);
        }
    }
}
