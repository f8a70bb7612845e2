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
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Argo's agent sends a plugin only the workflow's name, namespace and uid, so the step's span finds
 * the workflow's trace id in the Workflow object's {@code workflows.argoproj.io/trace-id}
 * annotation (fabric8's mock API server here) and joins that trace.
 */
@EnableKubernetesMockClient(crud = true)
class WorkflowTraceJoinTest {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    static KubernetesClient client;

    private static GenericKubernetesResource workflow(String name, String uid, String traceId) {
        GenericKubernetesResourceBuilder builder =
                new GenericKubernetesResourceBuilder()
                        .withApiVersion("argoproj.io/v1alpha1")
                        .withKind("Workflow")
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace("argo")
                        .withUid(uid)
                        .endMetadata();
        GenericKubernetesResource resource = builder.build();
        if (traceId != null) {
            resource.getMetadata()
                    .setAnnotations(Map.of("workflows.argoproj.io/trace-id", traceId));
        }
        return resource;
    }

    /** A request exactly as Argo's agent sends it: metadata with name, namespace and uid only. */
    private static ExecuteTemplateArgs step(String workflow, String uid, String template) {
        String body =
                """
                {"workflow":{"metadata":{"name":"%s","namespace":"argo","uid":"%s"}},
                 "template":{"name":"%s","inputs":{},"outputs":{},"metadata":{},
                  "plugin":{"wasm":{"module":{"file":"%s"},"operation":"echo"}}}}
                """
                        .formatted(workflow, uid, template, TestModules.test("conformance"));
        return Json.mapper().readValue(body, ExecuteTemplateArgs.class);
    }

    @Test
    void aStepJoinsTheTraceNamedOnItsWorkflowAndOthersStartTheirOwn() throws Exception {
        var workflows =
                client.genericKubernetesResources(
                                new ResourceDefinitionContext.Builder()
                                        .withGroup("argoproj.io")
                                        .withVersion("v1alpha1")
                                        .withKind("Workflow")
                                        .withPlural("workflows")
                                        .withNamespaced(true)
                                        .build())
                        .inNamespace("argo");
        // The API server gives each object its uid, as a real one does.
        String traced =
                workflows
                        .resource(workflow("traced", null, TRACE_ID))
                        .create()
                        .getMetadata()
                        .getUid();
        String untraced =
                workflows
                        .resource(workflow("untraced", null, null))
                        .create()
                        .getMetadata()
                        .getUid();
        workflows.resource(workflow("renamed", null, TRACE_ID)).create();
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            OtelStepTracer tracer =
                    OtelStepTracer.fromEnvironment(
                                    Map.of(
                                            "otel.traces.exporter", "otlp",
                                            "otel.exporter.otlp.protocol", "http/protobuf",
                                            "otel.exporter.otlp.endpoint",
                                                    receiver.endpoint().toString()))
                            .joiningWorkflowsOf(client);
            TemplateExecutor executor =
                    TemplateExecutor.builder(
                                    Json.mapper(),
                                    new ModuleStore(
                                            new ModuleFetcher(64L << 20, Duration.ofSeconds(10)),
                                            64L << 20,
                                            4))
                            .tracer(tracer)
                            .build();
            List<String> phases =
                    List.of(
                                    step("traced", traced, "first"),
                                    step("traced", traced, "second"),
                                    step("untraced", untraced, "plain"),
                                    step("renamed", "uid-old", "stale"),
                                    step("missing", "uid-missing", "gone"))
                            .stream()
                            .map(args -> executor.execute(args).node().phase())
                            .map(NodePhase::name)
                            .toList();
            executor.close();

            assertThat(phases).containsOnly("Succeeded");
            List<ReceivedSpan> spans = receiver.spans();
            assertThat(root(spans, "first").traceId()).isEqualTo(TRACE_ID);
            assertThat(root(spans, "second").traceId()).isEqualTo(TRACE_ID);
            assertThat(root(spans, "first").parentSpanId())
                    .as("a remote parent: Argo publishes no span id")
                    .isNotEmpty();
            assertThat(root(spans, "plain").traceId()).isNotEqualTo(TRACE_ID);
            assertThat(root(spans, "stale").traceId())
                    .as("a Workflow of the same name but another uid is not this workflow")
                    .isNotEqualTo(TRACE_ID);
            assertThat(root(spans, "gone").traceId()).isNotEqualTo(TRACE_ID);
        }
    }

    private static ReceivedSpan root(List<ReceivedSpan> spans, String template) {
        return spans.stream()
                .filter(s -> s.name().equals("template.execute"))
                .filter(s -> template.equals(s.attributes().get("argo.template.name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span for " + template + ": " + spans));
    }
}
