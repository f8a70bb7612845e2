package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The outputs a steps, dag or suspend template declares, taken from its finished scope: {@code
 * valueFrom.parameter} and {@code value} references for parameters, {@code from} for artifacts,
 * {@code valueFrom.default} when the reference cannot be resolved.
 */
record TemplateOutputs(Map<String, String> parameters, List<ObjectNode> artifacts) {

    /** Ends a steps or dag node: its declared outputs, then Succeeded (or Error if they fail). */
    static Node finish(WorkflowRun run, Node node, BoundTemplate bound, Scope scope) {
        try {
            TemplateOutputs outputs = collect(bound.template(), scope);
            node.outputs(outputs.parameters(), outputs.artifacts(), null);
        } catch (NodeErrorException | UnresolvedVariableException e) {
            run.finish(node, NodePhase.Error, e.getMessage());
            return node;
        }
        run.finish(node, NodePhase.Succeeded, "");
        return node;
    }

    static TemplateOutputs collect(JsonNode template, Scope scope) {
        Map<String, String> parameters = new LinkedHashMap<>();
        JsonNode declared = template.path("outputs").path("parameters");
        for (JsonNode p : declared) {
            String name = p.path("name").asString();
            JsonNode valueFrom = p.path("valueFrom");
            String reference =
                    valueFrom.has("parameter")
                            ? valueFrom.get("parameter").asString()
                            : p.has("value") ? Scalars.text(p.get("value")) : null;
            String fallback =
                    valueFrom.has("default") ? Scalars.text(valueFrom.get("default")) : null;
            if (reference == null && fallback == null) {
                throw new NodeErrorException(
                        ("output parameter '%s' of template '%s' has neither value,"
                                        + " valueFrom.parameter nor valueFrom.default")
                                .formatted(name, template.path("name").asString()));
            }
            String value;
            try {
                value = reference == null ? fallback : Substitution.apply(reference, scope);
            } catch (UnresolvedVariableException e) {
                if (fallback == null) {
                    throw new NodeErrorException(
                            "output parameter '%s': %s".formatted(name, e.getMessage()));
                }
                value = fallback;
            }
            parameters.put(name, value);
        }
        List<ObjectNode> artifacts = new ArrayList<>();
        for (JsonNode a : template.path("outputs").path("artifacts")) {
            String name = a.path("name").asString();
            if (!a.has("from")) {
                throw new NodeErrorException(
                        ("output artifact '%s' of template '%s' needs from:"
                                        + " {{steps|tasks.NAME.outputs.artifacts.NAME}}")
                                .formatted(name, template.path("name").asString()));
            }
            try {
                ObjectNode artifact =
                        Substitution.artifact(a.get("from").asString(), scope).deepCopy();
                artifact.put("name", name);
                artifacts.add(artifact);
            } catch (UnresolvedVariableException e) {
                if (!a.path("optional").asBoolean(false)) {
                    throw new NodeErrorException(
                            "output artifact '%s': %s".formatted(name, e.getMessage()));
                }
            }
        }
        return new TemplateOutputs(parameters, artifacts);
    }
}
