package io.argowasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.argowasm.TestModules;
import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.ExecuteTemplateReply;
import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.exec.ExecutionLimits;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.Digests;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleSourcePolicy;
import io.argowasm.module.ModuleStore;
import io.argowasm.server.ExecuteRequest.BadRequestException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The request path from body bytes to reply: {@link ExecuteRequest} and {@link TemplateExecutor},
 * as {@link PluginServer} runs them. Whatever the bytes, the body is refused with a {@link
 * BadRequestException} or answered with a reply Argo can read; a {@code Failed} node always says
 * why. Bodies are raw bytes, or Argo-shaped templates with fuzzed fields, types and nesting that
 * run real guests (pinned modules offered to the store; no URL is ever fetched).
 *
 * <p>In {@code mvn verify} this replays the inputs in {@code RequestFuzzTestInputs}; {@code
 * JAZZER_FUZZ=1} fuzzes it (see plugin-server/README.md).
 */
class RequestFuzzTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> OPERATIONS =
            List.of(
                    "echo",
                    "fail",
                    "fail-silent",
                    "no-response",
                    "trap",
                    "recurse",
                    "grow",
                    "bad-json",
                    "huge-response",
                    "huge-length",
                    "oob-response",
                    "oob-request",
                    "oob-host-call",
                    "host-call",
                    "counter",
                    "env",
                    "log",
                    "init-order",
                    "run");

    private static TemplateExecutor executor;
    private static String echoDigest;
    private static String conformanceDigest;

    @BeforeAll
    static void start() {
        ModuleSourcePolicy nowhere =
                ModuleSourcePolicy.builder()
                        .hosts(List.of("modules.invalid"))
                        .resolver(
                                host -> {
                                    throw new UnknownHostException(host);
                                })
                        .build();
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(8L << 20, Duration.ofSeconds(2), nowhere), 8L << 20, 8);
        byte[] echo = TestModules.bytes(TestModules.test("echo"));
        byte[] conformance = TestModules.bytes(TestModules.test("conformance"));
        echoDigest = Digests.sha256(echo);
        conformanceDigest = Digests.sha256(conformance);
        store.offer(echoDigest, () -> echo);
        store.offer(conformanceDigest, () -> conformance);
        executor =
                TemplateExecutor.builder(Json.mapper(), store)
                        .limits(
                                new ExecutionLimits(
                                        Duration.ofSeconds(2),
                                        Duration.ofSeconds(5),
                                        16L << 20,
                                        64L << 20))
                        .replyWithin(Duration.ofSeconds(10))
                        .build();
    }

    @AfterAll
    static void stop() {
        executor.close();
    }

    @FuzzTest(maxDuration = "5s")
    void anyBodyIsRefusedOrAnsweredWithAReadableReply(FuzzedDataProvider data) throws Exception {
        byte[] body =
                data.consumeBoolean()
                        ? data.consumeRemainingAsBytes()
                        : Json.mapper().writeValueAsBytes(request(data));
        Optional<ExecuteTemplateArgs> args;
        try {
            args = ExecuteRequest.read(body);
        } catch (BadRequestException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        if (args.isEmpty()) {
            return;
        }
        ExecuteTemplateReply reply = executor.execute(args.get());
        JsonNode wire = Json.mapper().readTree(Json.mapper().writeValueAsBytes(reply));
        if (reply.node() == null) {
            assertThat(wire.isEmpty()).isTrue();
            return;
        }
        assertThat(reply.node().phase())
                .isIn(EnumSet.of(NodePhase.Succeeded, NodePhase.Failed, NodePhase.Running));
        if (reply.node().phase() == NodePhase.Failed) {
            assertThat(reply.node().message()).isNotBlank();
        }
    }

    /** An Argo-shaped body whose every field may be missing, mistyped or odd. */
    private ObjectNode request(FuzzedDataProvider data) {
        ObjectNode body = NODES.objectNode();
        if (data.consumeBoolean()) {
            ObjectNode metadata = body.putObject("workflow").putObject("metadata");
            metadata.set("name", scalar(data));
            metadata.set("namespace", scalar(data));
            metadata.set("uid", scalar(data));
        }
        ObjectNode template = body.putObject("template");
        template.set("name", scalar(data));
        ArrayNode inputs = template.putObject("inputs").putArray("parameters");
        for (int i = data.consumeInt(0, 4); i > 0; i--) {
            ObjectNode p = inputs.addObject();
            p.put("name", data.consumeString(12));
            p.set(data.consumeBoolean() ? "value" : "default", scalar(data));
        }
        ArrayNode outputs = template.putObject("outputs").putArray("parameters");
        for (int i = data.consumeInt(0, 2); i > 0; i--) {
            ObjectNode p = outputs.addObject().put("name", data.consumeString(12));
            if (data.consumeBoolean()) {
                p.putObject("valueFrom").set("default", scalar(data));
            }
        }
        ObjectNode wasm = template.putObject("plugin").putObject(TemplateExecutor.PLUGIN_NAME);
        wasm.set("module", module(data));
        wasm.set(
                "operation",
                data.consumeBoolean()
                        ? NODES.stringNode(data.pickValue(OPERATIONS))
                        : value(data, 1));
        if (data.consumeBoolean()) {
            wasm.set("options", value(data, data.consumeInt(0, 40)));
        }
        if (data.consumeBoolean()) {
            ObjectNode limits = wasm.putObject("limits");
            limits.set("timeout", data.consumeBoolean() ? NODES.stringNode("1s") : scalar(data));
            limits.set("memory", data.consumeBoolean() ? NODES.stringNode("8Mi") : scalar(data));
        }
        if (data.consumeBoolean()) {
            wasm.set(data.consumeString(8), scalar(data));
        }
        return body;
    }

    private JsonNode module(FuzzedDataProvider data) {
        ObjectNode module = NODES.objectNode();
        switch (data.consumeInt(0, 3)) {
            case 0 ->
                    module.put("url", "https://modules.invalid/echo.wasm")
                            .put("sha256", echoDigest);
            case 1 ->
                    module.put("url", "https://modules.invalid/c.wasm")
                            .put("sha256", conformanceDigest);
            case 2 -> {
                module.set("url", scalar(data));
                if (data.consumeBoolean()) {
                    module.set("sha256", scalar(data));
                }
            }
            default -> {
                return value(data, 3);
            }
        }
        return module;
    }

    private static JsonNode scalar(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 5)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.numberNode(data.consumeLong());
            case 2 -> NODES.numberNode(data.consumeDouble());
            case 3 -> NODES.booleanNode(data.consumeBoolean());
            default -> NODES.stringNode(data.consumeString(64));
        };
    }

    /** Any JSON value, nested up to {@code depth} levels. */
    private static JsonNode value(FuzzedDataProvider data, int depth) {
        if (depth <= 0 || data.consumeInt(0, 3) == 0) {
            return scalar(data);
        }
        if (data.consumeBoolean()) {
            ArrayNode array = NODES.arrayNode();
            for (int i = data.consumeInt(0, 3); i > 0; i--) {
                array.add(value(data, depth - 1));
            }
            return array;
        }
        ObjectNode object = NODES.objectNode();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
            object.set(data.consumeString(8), value(data, depth - 1));
        }
        return object;
    }
}
