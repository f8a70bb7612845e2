package io.argowasm.dryrun;

import io.argowasm.argo.Json;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The run as {@code argo get -o json} shows a Workflow: metadata, and status with its phase and
 * every node keyed by id ({@code name}, {@code displayName}, {@code type}, {@code templateName},
 * {@code phase}, {@code message}, times, inputs, outputs, {@code children}), plus {@code
 * durationMillis} per node for scripts that time steps.
 */
public final class JsonReport {

    private JsonReport() {}

    public static ObjectNode of(DryRunResult result) {
        WorkflowDefinition wf = result.workflow();
        Node root = result.tree().root();
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("apiVersion", "argoproj.io/v1alpha1");
        doc.put("kind", "Workflow");
        doc.putObject("metadata")
                .put("name", wf.name())
                .put("namespace", wf.namespace())
                .put("uid", wf.uid());
        ObjectNode spec = doc.putObject("spec");
        spec.put("entrypoint", wf.entrypoint());
        ArrayNode params = spec.putObject("arguments").putArray("parameters");
        wf.parameters().forEach((k, v) -> params.addObject().put("name", k).put("value", v));
        ObjectNode status = doc.putObject("status");
        status.put("phase", root.phase().name());
        putTime(status, "startedAt", root.startedAt());
        putTime(status, "finishedAt", root.finishedAt());
        if (!root.message().isEmpty()) {
            status.put("message", root.message());
        }
        ObjectNode nodes = status.putObject("nodes");
        for (Node node : result.tree().nodes()) {
            nodes.set(node.id(), node(node));
        }
        return doc;
    }

    private static ObjectNode node(Node node) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", node.id());
        n.put("name", node.name());
        n.put("displayName", node.displayName());
        n.put("type", node.type().name());
        n.put("templateName", node.templateName());
        n.put("phase", node.phase().name());
        if (!node.message().isEmpty()) {
            n.put("message", node.message());
        }
        putTime(n, "startedAt", node.startedAt());
        putTime(n, "finishedAt", node.finishedAt());
        n.put("durationMillis", node.duration().toMillis());
        if (!node.inputParameters().isEmpty()) {
            parameters(n.putObject("inputs").putArray("parameters"), node.inputParameters());
        }
        if (!node.outputParameters().isEmpty()
                || !node.outputArtifacts().isEmpty()
                || node.result() != null) {
            ObjectNode outputs = n.putObject("outputs");
            if (!node.outputParameters().isEmpty()) {
                parameters(outputs.putArray("parameters"), node.outputParameters());
            }
            if (!node.outputArtifacts().isEmpty()) {
                ArrayNode artifacts = outputs.putArray("artifacts");
                node.outputArtifacts().forEach(artifacts::add);
            }
            if (node.result() != null) {
                outputs.put("result", node.result());
            }
        }
        if (!node.children().isEmpty()) {
            ArrayNode children = n.putArray("children");
            node.children().forEach(c -> children.add(c.id()));
        }
        return n;
    }

    private static void parameters(ArrayNode array, Map<String, String> values) {
        values.forEach((k, v) -> array.addObject().put("name", k).put("value", v));
    }

    private static void putTime(ObjectNode node, String field, Instant time) {
        if (time != null) {
            node.put(field, time.toString());
        }
    }
}
