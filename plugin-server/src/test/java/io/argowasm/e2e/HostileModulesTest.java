package io.argowasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.module.Digests;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile guests (src/test/resources/wasm/hostile/README.md) against the sidecar as {@code
 * argo-plugin.yaml} ships it: a JVM of its own with the manifest's JVM flags and its heap sized for
 * the container's memory limit, and the manifest's {@code serve} flags. Each case asserts the
 * answer the step gets; after every case the sidecar must still run, answer {@code /healthz}, serve
 * a good step, and have stayed under the container's memory limit. A sidecar that dies fails the
 * case with its exit code and last log lines, and the next case starts a fresh one.
 *
 * <p>Run alone with {@code mvn -B -pl plugin-server -am verify -Dgroups=hostile
 * -Dtest=HostileModulesTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("hostile")
@TestMethodOrder(OrderAnnotation.class)
class HostileModulesTest {

    /** What an answer about a refused allocation names: the limit it hit. */
    private static final Pattern LIMIT = Pattern.compile("(?i)limit|budget");

    /**
     * A module whose counts claim more than its bytes hold is refused as invalid or over a limit.
     */
    private static final Pattern LIMIT_OR_INVALID =
            Pattern.compile("(?i)limit|budget|not a valid WebAssembly module");

    /** Fewer slots than the default, so that slots a step never gives back show. */
    private static final int MAX_CONCURRENT = 8;

    /** The most the sidecar may log for one flooding step. */
    private static final long FLOOD_LOG_BYTES = 4L << 20;

    /** Past this much log in one case the sidecar is killed, so a flood cannot fill the disk. */
    private static final long RUNAWAY_LOG_BYTES = 512L << 20;

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @TempDir static Path dir;

    private static ShippedSidecar shipped;
    private static Path modules;
    private static SidecarProcess sidecar;
    private static AgentClient agent;
    private static int starts;
    private static final AtomicInteger requests = new AtomicInteger();
    private static ScheduledExecutorService watchdog;
    private static volatile long logAtStart;
    private static volatile String killedBecause;

    @BeforeAll
    static void copyModules() throws IOException {
        shipped = ShippedSidecar.read();
        modules = Files.createDirectories(dir.resolve("modules"));
        Path hostile = TestModules.test("echo").resolveSibling("hostile");
        try (DirectoryStream<Path> wasm = Files.newDirectoryStream(hostile, "*.wasm")) {
            for (Path module : wasm) {
                Files.copy(module, modules.resolve(module.getFileName()));
            }
        }
        for (String module : List.of("echo", "conformance")) {
            Files.copy(TestModules.test(module), modules.resolve(module + ".wasm"));
        }
        watchdog = Executors.newSingleThreadScheduledExecutor();
        watchdog.scheduleWithFixedDelay(
                HostileModulesTest::killARunawayLog, 250, 250, TimeUnit.MILLISECONDS);
    }

    @AfterAll
    static void stop() {
        watchdog.shutdownNow();
        if (sidecar != null) {
            sidecar.close();
        }
    }

    @BeforeEach
    void sidecarRuns() throws Exception {
        if (sidecar == null || !sidecar.alive()) {
            List<String> serve = new ArrayList<>(shipped.serveOptions());
            serve.addAll(
                    List.of(
                            "--no-auth",
                            "--module-dir",
                            modules.toString(),
                            "--max-concurrent",
                            Integer.toString(MAX_CONCURRENT)));
            List<String> jvm = new ArrayList<>(shipped.jvmOptions());
            jvm.add("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")));
            starts++;
            sidecar =
                    SidecarProcess.start(
                            jvm,
                            serve,
                            shipped.environment(),
                            dir.resolve("sidecar-" + starts + ".log"));
            agent = new AgentClient(sidecar.port(), null);
        }
        killedBecause = null;
        logAtStart = sidecar.logSize();
        sidecar.resetPeakAnon();
    }

    @AfterEach
    void sidecarSurvived(TestInfo test) throws Exception {
        String name = test.getDisplayName();
        if (!sidecar.alive()) {
            fail(died(name));
        }
        assertThat(agent.healthz()).as("/healthz after %s", name).isEqualTo(200);
        assertGoodStepSucceeds(name);
        long peak = sidecar.peakAnonBytes();
        assertThat(peak)
                .as(
                        "the sidecar's anonymous memory rose to %d MiB during %s, over the"
                                + " container's memory limit of %d MiB: the kernel would have"
                                + " killed it",
                        peak >> 20, name, shipped.memoryLimitBytes() >> 20)
                .isLessThanOrEqualTo(shipped.memoryLimitBytes());
    }

    // Module bytes whose counts claim far more than the bytes hold.

    @Test
    @Order(1)
    void aTypeSectionClaimingTwoBillionParametersFailsTheStep() throws Exception {
        assertFailed(execute(step("type-bomb", "run")), LIMIT_OR_INVALID);
    }

    @Test
    @Order(2)
    void aCodeBodyDeclaringFourBillionLocalsFailsTheStep() throws Exception {
        assertFailed(execute(step("type-bomb-locals", "run")), LIMIT_OR_INVALID);
    }

    @Test
    @Order(3)
    void aCodeBodyDeclaringAHundredMillionLocalsInSmallEntriesFailsTheStep() throws Exception {
        assertFailed(execute(step("type-bomb-locals-sum", "run")), LIMIT_OR_INVALID);
    }

    // Tables, which live in the heap beside guest memories.

    @Test
    @Order(4)
    void eightTablesOfTenMillionEntriesFailTheStepAtALimit() throws Exception {
        assertFailed(execute(step("table-bomb", "run")), LIMIT);
    }

    @Test
    @Order(5)
    void tableGrowthStopsWithinTheMemoryLimit() throws Exception {
        ObjectNode body = step("table-grow", "run");
        limits(body).put("memory", "64Mi");
        JsonNode node = execute(body);
        if (node.path("phase").asString().equals("Succeeded")) {
            // Four bytes an entry is the least a table entry can cost the host.
            assertThat(Long.parseLong(output(node, "entries")))
                    .as("table entries granted within limits.memory 64Mi: %s", node)
                    .isLessThanOrEqualTo((64L << 20) / 4);
        } else {
            assertFailed(node, LIMIT);
        }
    }

    // Guest memories and the heap they share.

    @Test
    @Order(6)
    void aGuestWith187MiBOfInitialMemoryAnswers() throws Exception {
        JsonNode node = execute(bigInitialMemory());
        assertSucceeded(node);
        assertThat(output(node, "answered")).isEqualTo("yes");
    }

    @Test
    @Order(7)
    void thirtyTwoGuestsWith187MiBOfInitialMemoryAtOnceWaitTheirTurnAndAnswer() throws Exception {
        List<Callable<JsonNode>> steps = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            ObjectNode body = bigInitialMemory();
            steps.add(
                    () -> {
                        JsonNode first = call(body).get("node");
                        assertThat(first.path("phase").asString())
                                .as("the first answer to %s", template(body))
                                .isIn("Succeeded", "Pending", "Running");
                        return execute(body, Duration.ofMinutes(4));
                    });
        }
        for (JsonNode node : all(steps, steps.size(), Duration.ofMinutes(5))) {
            assertSucceeded(node);
        }
    }

    @Test
    @Order(8)
    void sixResponsesOfSixteenMebibytesAtOnceFailOnTheOutputCap() throws Exception {
        List<Callable<JsonNode>> steps = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ObjectNode body = step("big-response", "run");
            steps.add(() -> execute(body, Duration.ofMinutes(4)));
        }
        for (JsonNode node : all(steps, 6, Duration.ofMinutes(5))) {
            assertFailed(node, Pattern.compile("--max-output-size|--max-response-size"));
        }
    }

    @Test
    @Order(9)
    void fifteenHundredStepsWithAQuarterMebibyteOutputEachSucceed() throws Exception {
        List<Callable<JsonNode>> steps = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            ObjectNode body = step("big-output-param", "run");
            // A fan-out as withItems makes it: one template, another input each time. The
            // sidecar keeps each result a while for the agent, so as fast as they go is hardest.
            ((ObjectNode) body.get("template")).put("name", "big-output-param-items");
            input(body, "item", Integer.toString(i));
            output(body, "out");
            steps.add(() -> execute(body, Duration.ofMinutes(4)));
        }
        for (JsonNode node : all(steps, 8, Duration.ofMinutes(5))) {
            assertSucceeded(node);
            assertThat(output(node, "out")).hasSize(256 << 10);
        }
    }

    // WASI calls whose arguments name more than the guest's memory.

    @ParameterizedTest(name = "fd_read {0}")
    @ValueSource(strings = {"iovec-7fffffff", "iovec-30000000", "iovec-ffffffff"})
    @Order(10)
    void fdReadIntoAnIovecLongerThanMemoryAnswersOrFailsClearly(String operation) throws Exception {
        JsonNode node = execute(step("wasi-fd-read", operation));
        if (!node.path("phase").asString().equals("Succeeded")) {
            assertFailed(
                    node,
                    Pattern.compile("(?i)fd_read|iovec|outside the guest's memory|limit|budget"));
        }
    }

    @ParameterizedTest(name = "fd_write of {0}")
    @ValueSource(strings = {"lines", "bytes"})
    @Order(11)
    void fdWriteOfTwoMillionIovecsKeepsTheLogSmall(String operation) throws Exception {
        ObjectNode body = step("wasi-fd-write-many", operation);
        limits(body).put("timeout", "10s");
        JsonNode node = execute(body);
        assertThat(node.path("phase").asString()).as(node.toString()).isIn("Succeeded", "Failed");
        assertThat(node.path("message").asString()).doesNotContain("unexpectedly");
        assertLogGrewLessThan(FLOOD_LOG_BYTES);
    }

    // Runaway guests: output, loops, compile time.

    @Test
    @Order(12)
    void aConsoleFloodTimesOutWithItsOutputTruncated() throws Exception {
        ObjectNode body = step("console-flood", "run");
        limits(body).put("timeout", "2s");
        assertFailed(execute(body), Pattern.compile("timed out after 2s"));
        assertLogGrewLessThan(FLOOD_LOG_BYTES);
        assertThat(sidecar.logContains(logAtStart, "truncated"))
                .as("the sidecar's log says the guest's output was truncated")
                .isTrue();
    }

    @Test
    @Order(13)
    void anEndlessLoopTimesOut() throws Exception {
        ObjectNode body = step("conformance", "loop");
        limits(body).put("timeout", "100ms");
        assertFailed(execute(body), Pattern.compile("timed out after 100ms"));
    }

    @Test
    @Order(14)
    void aModuleStillLoadingAtItsTimeoutFailsAndItsGuestIsNeverCalled() throws Exception {
        // Its 50,000 functions take seconds to parse, before the first calls may run in the
        // interpreter (--first-calls interpreted, the manifest's default).
        ObjectNode timedOut = step("many-functions", "run");
        limits(timedOut).put("timeout", "200ms");
        assertFailed(execute(timedOut), Pattern.compile("timed out after 200ms"));

        // A later step of the same module waits for the same compilation, so once it answered,
        // the timed-out step's guest would have been called if it ever were.
        ObjectNode later = step("many-functions", "run");
        limits(later).put("timeout", "10m");
        JsonNode node = execute(later, Duration.ofMinutes(10));
        assertSucceeded(node);
        assertThat(output(node, "answered")).isEqualTo("yes");
        Thread.sleep(2000);
        assertThat(
                        sidecar.logContains(
                                logAtStart,
                                " %s] guest console: many-functions called"
                                        .formatted(template(timedOut))))
                .as("the guest of the step that timed out was called after its answer")
                .isFalse();
    }

    @Test
    @Order(15)
    void aOneNanosecondTimeoutIsRefusedNamingTheMinimum() throws Exception {
        ObjectNode body = step("conformance", "loop");
        limits(body).put("timeout", "1ns");
        assertFailed(execute(body), Pattern.compile("below the minimum of 10ms"));
    }

    @Test
    @Order(15)
    void fourEndlessLoopsAtTheShortestTimeoutGiveTheirSlotsBack() throws Exception {
        for (int i = 0; i < 4; i++) {
            ObjectNode body = step("conformance", "loop");
            limits(body).put("timeout", "10ms");
            assertFailed(execute(body), Pattern.compile("timed out after 10ms"));
        }
        // Each holds its slot longer than a request waits for one, so a slot still held by a
        // loop turns one of them Pending.
        List<Callable<JsonNode>> steps = new ArrayList<>();
        for (int i = 0; i < MAX_CONCURRENT; i++) {
            ObjectNode body = step("conformance", "wait-ms");
            ((ObjectNode) wasm(body)).putObject("options").put("ms", 8000);
            output(body, "waited");
            steps.add(() -> call(body).get("node"));
        }
        for (JsonNode node : all(steps, MAX_CONCURRENT, Duration.ofMinutes(2))) {
            assertSucceeded(node);
        }
    }

    // The requests.

    /** A step of a module in the module directory, pinned by digest; each has its own template. */
    private static ObjectNode step(String module, String operation) {
        Path file = modules.resolve(module + ".wasm");
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("workflow")
                .putObject("metadata")
                .put("name", "hostile")
                .put("namespace", "argo")
                .put("uid", "hostile-modules");
        ObjectNode template = body.putObject("template");
        template.put("name", module + "-" + requests.incrementAndGet());
        template.putObject("inputs").putArray("parameters");
        template.putObject("outputs").putArray("parameters");
        ObjectNode wasm = template.putObject("plugin").putObject("wasm");
        wasm.putObject("module")
                .put("file", file.toString())
                .put("sha256", Digests.sha256(TestModules.bytes(file)));
        wasm.put("operation", operation);
        return body;
    }

    private static ObjectNode bigInitialMemory() {
        ObjectNode body = step("big-initial-memory", "run");
        limits(body).put("memory", "256Mi");
        return body;
    }

    private static JsonNode wasm(ObjectNode body) {
        return body.at("/template/plugin/wasm");
    }

    private static ObjectNode limits(ObjectNode body) {
        ObjectNode wasm = (ObjectNode) wasm(body);
        return wasm.has("limits") ? (ObjectNode) wasm.get("limits") : wasm.putObject("limits");
    }

    private static String template(ObjectNode body) {
        return body.at("/template/name").asString();
    }

    private static void input(ObjectNode body, String name, String value) {
        ((ArrayNode) body.at("/template/inputs/parameters"))
                .addObject()
                .put("name", name)
                .put("value", value);
    }

    private static void output(ObjectNode body, String name) {
        ((ArrayNode) body.at("/template/outputs/parameters")).addObject().put("name", name);
    }

    /** The value of an output parameter of a node. */
    private static String output(JsonNode node, String name) {
        for (JsonNode parameter : node.at("/outputs/parameters")) {
            if (parameter.path("name").asString().equals(name)) {
                return parameter.path("value").asString();
            }
        }
        throw new AssertionError("no output parameter %s in %s".formatted(name, node));
    }

    private static JsonNode execute(ObjectNode body) throws Exception {
        return execute(body, PATIENCE);
    }

    /** Calls as Argo's agent does until the node is done; a dead sidecar is said to be one. */
    private static JsonNode execute(ObjectNode body, Duration patience) throws Exception {
        try {
            return agent.execute(body, patience);
        } catch (IOException e) {
            throw unanswered(template(body), e);
        }
    }

    /** One call, whatever the phase. */
    private static JsonNode call(ObjectNode body) throws Exception {
        try {
            return agent.call(body);
        } catch (IOException e) {
            throw unanswered(template(body), e);
        }
    }

    /** Runs the steps on {@code threads} threads and returns their nodes, in order. */
    private static List<JsonNode> all(List<Callable<JsonNode>> steps, int threads, Duration bound)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger answered = new AtomicInteger();
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (Callable<JsonNode> step : steps) {
                futures.add(
                        clients.submit(
                                () -> {
                                    JsonNode node = step.call();
                                    answered.incrementAndGet();
                                    return node;
                                }));
            }
            long deadline = System.nanoTime() + bound.toNanos();
            List<JsonNode> nodes = new ArrayList<>();
            for (Future<JsonNode> future : futures) {
                try {
                    nodes.add(future.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError(
                            "%s (%d of %d steps had been answered)"
                                    .formatted(
                                            e.getCause().getMessage(),
                                            answered.get(),
                                            steps.size()),
                            e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError(
                            "only %d of %d steps were answered within %s"
                                    .formatted(answered.get(), steps.size(), bound));
                }
            }
            return nodes;
        } finally {
            clients.shutdownNow();
        }
    }

    // The assertions.

    private static void assertSucceeded(JsonNode node) {
        assertThat(node.path("phase").asString()).as(() -> describe(node)).isEqualTo("Succeeded");
    }

    private static void assertFailed(JsonNode node, Pattern message) {
        // The answer each case gets, for the record of what a hostile step now sees.
        System.out.println("hostile step answered: Failed: " + node.path("message").asString());
        assertThat(node.path("phase").asString()).as(() -> describe(node)).isEqualTo("Failed");
        assertThat(node.path("message").asString())
                .as(() -> describe(node))
                .containsPattern(message)
                .doesNotContain("unexpectedly");
    }

    private static void assertGoodStepSucceeds(String after) throws Exception {
        ObjectNode body = step("echo", "echo");
        String value = "good after " + after;
        input(body, "text", value);
        output(body, "text");
        JsonNode node = execute(body, Duration.ofMinutes(1));
        assertThat(node.path("phase").asString())
                .as(() -> "a good step after %s: %s".formatted(after, describe(node)))
                .isEqualTo("Succeeded");
        assertThat(output(node, "text")).isEqualTo(value);
    }

    /** Waits until the sidecar stops writing, then checks how much it wrote during the case. */
    private static void assertLogGrewLessThan(long bytes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        long size = sidecar.logSize();
        do {
            Thread.sleep(1000);
            long now = sidecar.logSize();
            if (now == size) {
                break;
            }
            size = now;
        } while (System.nanoTime() < deadline && sidecar.alive());
        if (killedBecause != null) {
            fail(killedBecause);
        }
        assertThat(size - logAtStart)
                .as(
                        "bytes the sidecar logged for one flooding step; log ends:%n%s",
                        sidecar.logTail(5))
                .isLessThan(bytes);
    }

    private static String describe(JsonNode node) {
        try {
            return "%s%nsidecar log ends:%n%s".formatted(node, sidecar.logTail(20));
        } catch (IOException e) {
            return node + " (the sidecar's log cannot be read: " + e + ")";
        }
    }

    /** Why a request got no answer: above all, whether the sidecar died. */
    private static AssertionError unanswered(String step, IOException cause) {
        try {
            // A JVM exiting on OutOfMemoryError closes its connections a moment before it is gone.
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!sidecar.alive()) {
            return new AssertionError(died("step " + step), cause);
        }
        return new AssertionError("the sidecar did not answer step %s".formatted(step), cause);
    }

    private static String died(String during) {
        String tail;
        try {
            tail = sidecar.logTail(20);
        } catch (IOException e) {
            tail = "(unreadable: " + e + ")";
        }
        return (killedBecause != null
                        ? killedBecause
                        : "the sidecar exited with code %d during %s"
                                .formatted(sidecar.exitValue(), during))
                + "; last log lines:\n"
                + tail;
    }

    private static void killARunawayLog() {
        SidecarProcess running = sidecar;
        try {
            if (running != null
                    && running.alive()
                    && running.logSize() - logAtStart > RUNAWAY_LOG_BYTES) {
                killedBecause =
                        "the sidecar wrote more than %d MiB of log in one case and was killed"
                                .formatted(RUNAWAY_LOG_BYTES >> 20);
                running.kill();
            }
        } catch (IOException e) {
            // the log is read again in a quarter of a second
        }
    }
}
