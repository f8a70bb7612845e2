package io.argowasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.exec.ExecutionLimits;
import io.argowasm.exec.PayloadLimits;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.Digests;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleSourcePolicy;
import io.argowasm.module.ModuleStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input of every kind sent to the real HTTP endpoint: broken requests, broken templates,
 * refused module sources, broken module bytes and misbehaving guests. Each case gets its status and
 * a message saying what is wrong; afterwards the sidecar is healthy, serves a good step, and holds
 * no more threads or heap than before.
 */
@TestMethodOrder(OrderAnnotation.class)
class BadInputCorpusTest {

    private static final String TOKEN = "corpus-token";
    private static final long MAX_BODY = 1L << 20;
    private static final PayloadLimits PAYLOAD = new PayloadLimits(256 << 10, 1 << 20, 64 << 10);
    private static final long MAX_MODULE = 4L << 20;

    /** A file's content that no answer may echo, whatever a template makes the sidecar read. */
    private static final String SECRET = "s3cr3t-token";

    private static final HttpClient client = HttpClient.newHttpClient();

    @TempDir static Path files;

    private static TemplateExecutor executor;
    private static PluginServer server;
    private static int baselineThreads;
    private static long baselineHeap;

    /** One bad input: what is sent and what must come back. */
    record Case(String name, Request request, int status, String phase, String fragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** How a case's body is sent. */
    record Request(byte[] body, String token, boolean chunked) {}

    @BeforeAll
    static void start() throws IOException {
        ModuleSourcePolicy serving =
                ModuleSourcePolicy.builder()
                        .resolver(BadInputCorpusTest::resolveWithoutDns)
                        .build();
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(MAX_MODULE, Duration.ofSeconds(5), serving),
                        MAX_MODULE,
                        64);
        for (String module :
                List.of(
                        "conformance",
                        "echo",
                        "truncated",
                        "not-wasm",
                        "unknown-import",
                        "no-guest-call",
                        "huge-initial-memory",
                        "wrong-import-type",
                        "data-out-of-bounds",
                        "bad-responses")) {
            byte[] bytes = TestModules.bytes(TestModules.test(module));
            store.offer(Digests.sha256(bytes), () -> bytes);
        }
        Files.write(files.resolve("too-large.wasm"), new byte[(int) MAX_MODULE + 1]);
        Files.createDirectories(files.resolve("a-directory.wasm"));
        Files.writeString(files.resolve("secret"), SECRET);
        executor =
                TemplateExecutor.builder(Json.mapper(), store)
                        .limits(
                                new ExecutionLimits(
                                        Duration.ofSeconds(20),
                                        Duration.ofMinutes(1),
                                        16L << 20,
                                        64L << 20))
                        .payloadLimits(PAYLOAD)
                        .build();
        server = PluginServer.start(executor, TokenCheck.of(TOKEN), "127.0.0.1", 0, MAX_BODY);
    }

    /** modules.test stands for a public host; the metadata names resolve as in a cloud. */
    private static InetAddress[] resolveWithoutDns(String host) throws UnknownHostException {
        return switch (host) {
            case "modules.test" -> new InetAddress[] {InetAddress.getByName("203.0.113.10")};
            case "rebound.test" -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
            default -> InetAddress.getAllByName(host);
        };
    }

    @AfterAll
    static void stop() {
        server.close();
        executor.close();
    }

    @Test
    @Order(1)
    void aGoodStepSucceedsBeforeTheCorpus() throws Exception {
        assertGoodStepSucceeds();
        settle();
        baselineThreads = Thread.activeCount();
        baselineHeap = usedHeap();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Order(2)
    void eachBadInputGetsAClearAnswer(Case c) throws Exception {
        HttpResponse<String> response = send(c.request());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
        assertThat(response.body()).contains(c.fragment()).doesNotContain(SECRET);
        if (c.phase() != null) {
            assertThat(Json.mapper().readTree(response.body()).at("/node/phase").asString())
                    .isEqualTo(c.phase());
        }
    }

    @Test
    @Order(3)
    void afterTheCorpusTheSidecarIsHealthyAndHoldsNoMoreThanBefore() throws Exception {
        HttpResponse<String> health =
                client.send(
                        HttpRequest.newBuilder(uri("/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertGoodStepSucceeds();
        settle();
        assertThat(Thread.activeCount())
                .as("threads after the corpus (%d before)", baselineThreads)
                .isLessThanOrEqualTo(baselineThreads + 4);
        assertThat(usedHeap())
                .as("heap after the corpus (%d before)", baselineHeap)
                .isLessThan(baselineHeap + (64L << 20));
    }

    static Stream<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        http(cases);
        template(cases);
        sources(cases);
        moduleBytes(cases);
        guests(cases);
        return cases.stream();
    }

    /** The HTTP layer: the body is not a template.execute request, or the caller is not Argo. */
    private static void http(List<Case> cases) {
        cases.add(bad("malformed JSON", raw("{\"workflow\": {"), 400, "malformed JSON"));
        cases.add(bad("empty body", raw(""), 400, "needs a 'template' object"));
        cases.add(bad("JSON array", raw("[1,2,3]"), 400, "needs a 'template' object"));
        cases.add(bad("JSON number", raw("42"), 400, "needs a 'template' object"));
        cases.add(bad("JSON null", raw("null"), 400, "needs a 'template' object"));
        cases.add(bad("template is a string", raw("{\"template\":\"x\"}"), 400, "'template'"));
        cases.add(
                bad(
                        "invalid UTF-8",
                        new Request(
                                concat(
                                        "{\"template\":{\"name\":\"",
                                        new byte[] {(byte) 0xC3, (byte) 0x28},
                                        "\"}}"),
                                TOKEN,
                                false),
                        400,
                        "malformed JSON"));
        cases.add(
                bad(
                        "control character in a string",
                        raw("{\"template\":{\"name\":\"a\u0001b\"}}"),
                        400,
                        "malformed JSON"));
        cases.add(
                bad(
                        "100000 nested arrays",
                        raw("{\"template\":" + "[".repeat(100_000)),
                        400,
                        "malformed JSON"));
        cases.add(
                bad(
                        "a number of 5000 digits",
                        raw("{\"template\":{},\"n\":" + "9".repeat(5000) + "}"),
                        400,
                        "malformed JSON"));
        cases.add(
                bad(
                        "trailing garbage",
                        raw("{\"template\":{}} {\"template\":{}}"),
                        400,
                        "malformed JSON"));
        cases.add(
                bad(
                        "inputs of the wrong type",
                        body(t -> t.put("inputs", "not an object")),
                        400,
                        "Argo's shape"));
        cases.add(
                bad(
                        "parameters of the wrong type",
                        body(t -> t.putObject("inputs").put("parameters", 7)),
                        400,
                        "Argo's shape"));
        cases.add(
                bad(
                        "body over the cap, with a length",
                        raw("{\"template\":\"" + "x".repeat((int) MAX_BODY) + "\"}"),
                        413,
                        "--max-body-size"));
        cases.add(
                bad(
                        "body over the cap, chunked",
                        new Request(
                                ("{\"template\":\"" + "x".repeat((int) MAX_BODY) + "\"}")
                                        .getBytes(StandardCharsets.UTF_8),
                                TOKEN,
                                true),
                        413,
                        "--max-body-size"));
        cases.add(
                bad(
                        "no token",
                        new Request(conformance("echo").toString().getBytes(), null, false),
                        403,
                        "forbidden"));
        cases.add(
                bad(
                        "wrong token",
                        new Request(conformance("echo").toString().getBytes(), "Bearer x", false),
                        403,
                        "forbidden"));
    }

    /** The template: plugin.wasm of the wrong shape, types or values. */
    private static void template(List<Case> cases) {
        cases.add(
                failed(
                        "plugin.wasm not an object",
                        body(t -> plugin(t).put("wasm", "x")),
                        "plugin.wasm must be an object"));
        cases.add(
                failed(
                        "module missing",
                        body(t -> wasm(t).remove("module")),
                        "plugin.wasm.module is missing"));
        cases.add(
                failed(
                        "module both url and file",
                        body(t -> module(t).put("file", "/m.wasm")),
                        "both url and file"));
        cases.add(
                failed(
                        "module url not a URL",
                        body(t -> module(t).put("url", "ht tp://x y")),
                        "not a valid URL"));
        cases.add(
                failed(
                        "module url of another scheme",
                        body(t -> module(t).put("url", "ftp://modules.test/m.wasm")),
                        "must be http:// or https://"));
        cases.add(
                failed(
                        "module url of the wrong type",
                        body(t -> module(t).putArray("url")),
                        "plugin.wasm.module.url must be a string"));
        cases.add(
                failed(
                        "sha256 not a digest",
                        body(t -> module(t).put("sha256", "abc")),
                        "not a sha256 digest"));
        cases.add(
                failed(
                        "operation a number",
                        body(t -> wasm(t).put("operation", 7)),
                        "plugin.wasm.operation must be a string"));
        cases.add(
                failed(
                        "operation empty",
                        body(t -> wasm(t).put("operation", "")),
                        "must not be empty"));
        cases.add(
                failed(
                        "unknown key",
                        body(t -> wasm(t).put("opration", "echo")),
                        "unknown key 'opration'"));
        cases.add(
                failed(
                        "timeout not a duration",
                        body(t -> limits(t).put("timeout", "soon")),
                        "plugin.wasm.limits.timeout"));
        cases.add(
                failed(
                        "timeout over the maximum",
                        body(t -> limits(t).put("timeout", "2h")),
                        "exceeds this plugin's maximum"));
        cases.add(
                failed(
                        "memory over the maximum",
                        body(t -> limits(t).put("memory", "8Gi")),
                        "exceeds this plugin's maximum"));
        cases.add(
                failed(
                        "memory under a page",
                        body(t -> limits(t).put("memory", "1Ki")),
                        "at least 64Ki"));
        cases.add(
                failed(
                        "input parameters over the cap",
                        body(
                                t ->
                                        t.putObject("inputs")
                                                .putArray("parameters")
                                                .addObject()
                                                .put("name", "big")
                                                .put("value", "x".repeat(300 << 10))),
                        "--max-input-size"));
        cases.add(
                failed(
                        "a declared output the guest does not return",
                        body(
                                t ->
                                        t.putObject("outputs")
                                                .putArray("parameters")
                                                .addObject()
                                                .put("name", "missing")),
                        "did not return the declared output parameter missing"));
    }

    /** Module sources the sidecar refuses to fetch from, and module files it refuses to read. */
    private static void sources(List<Case> cases) {
        cases.add(
                failed("plain http", source("url", "http://modules.test/m.wasm"), "--allow-http"));
        cases.add(
                failed(
                        "metadata address",
                        source("url", "https://169.254.169.254/latest/"),
                        "link-local"));
        cases.add(
                failed(
                        "metadata name",
                        source("url", "https://metadata.google.internal/m"),
                        "cloud metadata service"));
        cases.add(
                failed(
                        "metadata name with a trailing dot",
                        source("url", "https://metadata.google.internal./m"),
                        "cloud metadata service"));
        cases.add(
                failed(
                        "AWS IPv6 metadata address",
                        source("url", "https://[fd00:ec2::254]/m"),
                        "unique local"));
        cases.add(
                failed(
                        "loopback as a decimal number",
                        source("url", "https://2130706433/m"),
                        "loopback"));
        cases.add(
                failed(
                        "a name resolving to loopback",
                        source("url", "https://rebound.test/m"),
                        "loopback"));
        cases.add(
                failed(
                        "module file missing",
                        source("file", files.resolve("missing.wasm").toString()),
                        "does not exist"));
        cases.add(
                failed(
                        "module file a directory",
                        source("file", files.resolve("a-directory.wasm").toString()),
                        "not a regular file"));
        cases.add(
                failed(
                        "module file over the size cap",
                        source("file", files.resolve("too-large.wasm").toString()),
                        "--max-module-size"));
        cases.add(
                failed(
                        "module file that reports no size",
                        source("file", "/proc/self/status"),
                        "magic bytes"));
        cases.add(
                failed(
                        "module file holding a secret, never echoed",
                        source("file", files.resolve("secret").toString()),
                        "magic bytes"));
    }

    /** Module bytes that are not a usable waPC guest. */
    private static void moduleBytes(List<Case> cases) {
        cases.add(
                failed(
                        "truncated module",
                        pinned("truncated", "run"),
                        "not a valid WebAssembly module"));
        cases.add(
                failed(
                        "bytes without the wasm magic",
                        pinned("not-wasm", "run"),
                        "not a valid WebAssembly module"));
        cases.add(
                failed(
                        "an import the host does not offer",
                        pinned("unknown-import", "run"),
                        "env.mystery"));
        cases.add(
                failed(
                        "an import of the wrong type",
                        pinned("wrong-import-type", "run"),
                        "__guest_response"));
        cases.add(
                failed(
                        "no __guest_call",
                        pinned("no-guest-call", "run"),
                        "does not export __guest_call"));
        cases.add(
                failed(
                        "initial memory over the limit",
                        pinned("huge-initial-memory", "run"),
                        "raise plugin.wasm.limits.memory"));
        cases.add(
                failed(
                        "data segment out of bounds",
                        pinned("data-out-of-bounds", "run"),
                        "instantiation"));
        cases.add(failed("digest mismatch", pinnedWrongly(), "does not match its pinned sha256"));
    }

    /** Guests that trap, run away, break the protocol or answer garbage. */
    private static void guests(List<Case> cases) {
        cases.add(failed("guest error", conformance("fail"), "deliberate failure"));
        cases.add(
                failed(
                        "failure without an error",
                        conformance("fail-silent"),
                        "without an error message"));
        cases.add(
                failed(
                        "success without a response",
                        conformance("no-response"),
                        "never called __guest_response"));
        cases.add(
                failed("unknown operation", conformance("no-such-operation"), "unknown operation"));
        cases.add(failed("trap", conformance("trap"), "trapped"));
        cases.add(failed("runaway recursion", conformance("recurse"), "exhausted its stack"));
        cases.add(
                failed(
                        "endless loop",
                        body(
                                t -> {
                                    wasm(t).put("operation", "loop");
                                    limits(t).put("timeout", "300ms");
                                }),
                        "timed out after 300ms"));
        cases.add(
                succeeded(
                        "memory growth stops at the limit, which the guest's table shares",
                        body(
                                t -> {
                                    wasm(t).put("operation", "grow");
                                    limits(t).put("memory", "1Mi");
                                }),
                        "\"value\":\"15\""));
        cases.add(
                failed(
                        "response pointer out of bounds",
                        conformance("oob-response"),
                        "outside the guest's memory"));
        cases.add(
                failed(
                        "response length of 2 GiB",
                        conformance("huge-length"),
                        "--max-response-size"));
        cases.add(
                failed(
                        "request pointer out of bounds",
                        conformance("oob-request"),
                        "outside the guest's memory"));
        cases.add(
                failed(
                        "host call pointer out of bounds",
                        conformance("oob-host-call"),
                        "outside the guest's memory"));
        cases.add(failed("response not JSON", conformance("bad-json"), "not JSON"));
        cases.add(failed("response over the cap", hugeResponse(2 << 20), "--max-response-size"));
        cases.add(failed("outputs over the cap", hugeResponse(100 << 10), "--max-output-size"));
        cases.add(failed("response of invalid UTF-8", pinned("bad-responses", "a"), "not JSON"));
        cases.add(failed("response nested 100000 deep", pinned("bad-responses", "ab"), "not JSON"));
        cases.add(
                failed(
                        "response parameters not an object",
                        pinned("bad-responses", "abc"),
                        "'parameters' that is not an object"));
        cases.add(failed("response null", pinned("bad-responses", "null"), "not a JSON object"));
        cases.add(
                succeeded(
                        "no environment and no files",
                        conformance("env"),
                        "{\"name\":\"file\",\"value\":\"no\"}"));
    }

    private static Case bad(String name, Request request, int status, String fragment) {
        return new Case(name, request, status, null, fragment);
    }

    private static Case failed(String name, Request request, String fragment) {
        return new Case(name, request, 200, "Failed", fragment);
    }

    private static Case succeeded(String name, Request request, String fragment) {
        return new Case(name, request, 200, "Succeeded", fragment);
    }

    private static Request raw(String body) {
        return new Request(body.getBytes(StandardCharsets.UTF_8), TOKEN, false);
    }

    private static Request of(ObjectNode body) {
        return new Request(body.toString().getBytes(StandardCharsets.UTF_8), TOKEN, false);
    }

    /** A conformance step running {@code echo}, changed by {@code change}. */
    private static Request body(Consumer<ObjectNode> change) {
        ObjectNode body = conformanceBody("echo");
        change.accept((ObjectNode) body.get("template"));
        return of(body);
    }

    private static Request conformance(String operation) {
        return of(conformanceBody(operation));
    }

    private static ObjectNode conformanceBody(String operation) {
        return pinnedBody("conformance", operation);
    }

    private static Request pinned(String module, String operation) {
        return of(pinnedBody(module, operation));
    }

    private static ObjectNode pinnedBody(String module, String operation) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("workflow")
                .putObject("metadata")
                .put("name", "corpus")
                .put("namespace", "argo")
                .put("uid", "uid-" + module + "-" + operation);
        ObjectNode template = body.putObject("template");
        template.put("name", module + "-" + operation);
        template.putObject("inputs").putArray("parameters");
        template.putObject("outputs");
        ObjectNode wasm = template.putObject("plugin").putObject(TemplateExecutor.PLUGIN_NAME);
        wasm.putObject("module")
                .put("url", "https://modules.test/" + module + ".wasm")
                .put("sha256", Digests.sha256(TestModules.bytes(TestModules.test(module))));
        wasm.put("operation", operation);
        return body;
    }

    private static Request pinnedWrongly() {
        Path file = TestModules.test("echo");
        return body(
                t -> {
                    ObjectNode module = module(t);
                    module.removeAll();
                    module.put("file", file.toString()).put("sha256", "0".repeat(64));
                });
    }

    private static Request source(String key, String value) {
        return body(
                t -> {
                    ObjectNode module = module(t);
                    module.removeAll();
                    module.put(key, value);
                });
    }

    private static Request hugeResponse(int size) {
        return body(
                t -> {
                    wasm(t).put("operation", "huge-response");
                    wasm(t).putObject("options").put("size", size);
                });
    }

    private static ObjectNode plugin(ObjectNode template) {
        return (ObjectNode) template.get("plugin");
    }

    private static ObjectNode wasm(ObjectNode template) {
        return (ObjectNode) plugin(template).get(TemplateExecutor.PLUGIN_NAME);
    }

    private static ObjectNode module(ObjectNode template) {
        return (ObjectNode) wasm(template).get("module");
    }

    private static ObjectNode limits(ObjectNode template) {
        ObjectNode wasm = wasm(template);
        return wasm.has("limits") ? (ObjectNode) wasm.get("limits") : wasm.putObject("limits");
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + middle.length + t.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(middle, 0, all, h.length, middle.length);
        System.arraycopy(t, 0, all, h.length + middle.length, t.length);
        return all;
    }

    private static HttpResponse<String> send(Request request) throws Exception {
        BodyPublisher publisher =
                request.chunked()
                        ? HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream(request.body()))
                        : HttpRequest.BodyPublishers.ofByteArray(request.body());
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(uri(PluginServer.EXECUTE_PATH))
                        .header("Content-Type", "application/json")
                        .POST(publisher);
        if (request.token() != null) {
            builder.header(
                    "Authorization",
                    request.token().startsWith("Bearer ")
                            ? request.token()
                            : "Bearer " + request.token());
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertGoodStepSucceeds() throws Exception {
        ObjectNode body = conformanceBody("counter");
        ((ObjectNode) body.get("workflow").get("metadata")).put("uid", "good-" + System.nanoTime());
        ArrayNode outputs =
                ((ObjectNode) body.get("template").get("outputs")).putArray("parameters");
        outputs.addObject().put("name", "count");
        HttpResponse<String> response = send(of(body));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode reply = Json.mapper().readTree(response.body());
        assertThat(reply.at("/node/phase").asString()).as(response.body()).isEqualTo("Succeeded");
        assertThat(reply.at("/node/outputs/parameters/0/name").asString()).isEqualTo("count");
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Lets idle threads end and garbage go, so counts compare like with like. */
    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
    }

    private static long usedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
