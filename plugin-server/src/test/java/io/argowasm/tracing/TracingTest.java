package io.argowasm.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import io.argowasm.tracing.OtlpReceiver.ReceivedSpan;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Invocations as spans, sent over OTLP/HTTP to a receiver in the test. */
class TracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static ExecuteTemplateArgs step(String template, String operation, String traceId)
            throws Exception {
        ObjectNode body =
                (ObjectNode)
                        Json.mapper()
                                .readTree(
                                        Files.readString(
                                                TestModules.argoFixture("wasm-parameters.json")));
        ObjectNode wasm = (ObjectNode) body.get("template").get("plugin").get("wasm");
        wasm.putObject("module")
                .put("file", TestModules.test("conformance").toAbsolutePath().toString());
        wasm.put("operation", operation);
        ((ObjectNode) body.get("template")).put("name", template).putObject("outputs");
        if (traceId != null) {
            ((ObjectNode) body.get("workflow").get("metadata"))
                    .putObject("annotations")
                    .put("workflows.argoproj.io/trace-id", traceId);
        }
        return Json.mapper().treeToValue(body, ExecuteTemplateArgs.class);
    }

    @Test
    void eachInvocationIsASpanWithAChildPerStageFlushedOnClose() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            OtelStepTracer tracer =
                    OtelStepTracer.fromEnvironment(
                            Map.of(
                                    "otel.traces.exporter", "otlp",
                                    "otel.exporter.otlp.protocol", "http/protobuf",
                                    "otel.exporter.otlp.endpoint", receiver.endpoint().toString()));
            ModuleStore store =
                    new ModuleStore(
                            new ModuleFetcher(64L << 20, Duration.ofSeconds(10)), 64L << 20, 4);
            TemplateExecutor executor =
                    TemplateExecutor.builder(Json.mapper(), store).tracer(tracer).build();
            NodePhase joined = executor.execute(step("joins", "echo", TRACE_ID)).node().phase();
            NodePhase failed = executor.execute(step("fails", "fail", null)).node().phase();
            ExecuteTemplateArgs hostCall = step("calls-the-host", "host-call", null);
            ((ObjectNode) hostCall.template().plugin().get("wasm"))
                    .putObject("options")
                    .put("binding", "ledger")
                    .put("namespace", "entries")
                    .put("operation", "add");
            NodePhase called = executor.execute(hostCall).node().phase();
            executor.close();

            assertThat(joined).isEqualTo(NodePhase.Succeeded);
            assertThat(failed).isEqualTo(NodePhase.Failed);
            List<ReceivedSpan> spans = receiver.spans();
            ReceivedSpan root = root(spans, "joins");
            assertThat(root.traceId()).isEqualTo(TRACE_ID);
            assertThat(root.attributes())
                    .containsEntry("k8s.namespace.name", "argo")
                    .containsEntry("argo.workflow.name", "hello-wasm-x7k2p")
                    .containsEntry("wasm.operation", "echo")
                    .containsEntry("argo.node.phase", "Succeeded")
                    .containsEntry("wasm.reason", "ok")
                    .containsKey("wasm.module.sha256");
            assertThat(
                            spans.stream()
                                    .filter(s -> s.parentSpanId().equals(root.spanId()))
                                    .map(ReceivedSpan::name))
                    .containsExactlyInAnyOrder("module.load", "guest.instantiate", "guest.call");
            ReceivedSpan failing = root(spans, "fails");
            assertThat(failing.traceId()).isNotEqualTo(TRACE_ID);
            assertThat(failing.attributes())
                    .containsEntry("argo.node.phase", "Failed")
                    .containsEntry("wasm.reason", "guest_error");
            // The binding is not offered, so the guest's call fails; it is in the trace all the
            // same.
            assertThat(called).isEqualTo(NodePhase.Succeeded);
            ReceivedSpan calling = root(spans, "calls-the-host");
            assertThat(
                            spans.stream()
                                    .filter(s -> s.parentSpanId().equals(calling.spanId()))
                                    .map(ReceivedSpan::name))
                    .contains("guest.call", "host.ledger/entries");
        }
    }

    private static ReceivedSpan root(List<ReceivedSpan> spans, String template) {
        return spans.stream()
                .filter(s -> s.name().equals("template.execute"))
                .filter(s -> template.equals(s.attributes().get("argo.template.name")))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no span for %s in %s".formatted(template, spans)));
    }
}
