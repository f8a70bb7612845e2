package io.argowasm.dryrun;

import io.argowasm.argo.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A template with its inputs settled, as Argo's controller prepares it: every input parameter has a
 * value (argument, else its own value, else default), every input artifact a location, and the
 * scope its body is substituted in holds {@code inputs.*} beside the workflow's variables.
 */
record BoundTemplate(
        ResolvedTemplate resolved, ObjectNode template, Map<String, String> inputs, Scope scope) {

    private static final List<String> LOCATION_FIELDS_KEPT =
            List.of("name", "path", "archive", "mode", "optional");

    /**
     * Binds arguments to a template.
     *
     * @throws NodeErrorException naming the input, the template and where it is declared when one
     *     lacks a value
     */
    static BoundTemplate bind(ResolvedTemplate resolved, Arguments arguments, Scope globals) {
        ObjectNode template = resolved.template().deepCopy();
        ObjectNode inputs =
                template.has("inputs")
                        ? (ObjectNode) template.get("inputs")
                        : template.putObject("inputs");
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode declared = inputs.path("parameters");
        for (int i = 0; i < declared.size(); i++) {
            ObjectNode p = (ObjectNode) declared.get(i);
            String name = p.path("name").asString();
            String value = arguments.parameters().get(name);
            if (value == null && p.has("value")) {
                value = Substitution.apply(Scalars.text(p.get("value")), globals);
            }
            if (value == null && p.has("default")) {
                value = Substitution.apply(Scalars.text(p.get("default")), globals);
            }
            if (value == null) {
                throw new NodeErrorException(
                        ("input parameter '%s' of template '%s' has no value: pass it in the"
                                        + " step's arguments or give it a default (%s)")
                                .formatted(
                                        name,
                                        resolved.name(),
                                        resolved.at("inputs.parameters[" + i + "]")));
            }
            if (p.has("enum") && !containsScalar(p.get("enum"), value)) {
                throw new NodeErrorException(
                        "input parameter '%s' of template '%s' is '%s', not one of %s"
                                .formatted(name, resolved.name(), value, p.get("enum")));
            }
            p.put("value", value);
            values.put(name, value);
        }
        Scope scope = globals.with(prefixed("inputs.parameters.", values));
        scope =
                scope.with(
                        "inputs.parameters",
                        Json.mapper().writeValueAsString(inputs.path("parameters")));
        JsonNode artifacts = inputs.path("artifacts");
        for (int i = 0; i < artifacts.size(); i++) {
            ObjectNode a = (ObjectNode) artifacts.get(i);
            String name = a.path("name").asString();
            ObjectNode given = arguments.artifacts().get(name);
            if (given != null) {
                for (String field : List.copyOf(a.propertyNames())) {
                    if (!LOCATION_FIELDS_KEPT.contains(field)) {
                        a.remove(field);
                    }
                }
                for (Map.Entry<String, JsonNode> f : given.properties()) {
                    if (!LOCATION_FIELDS_KEPT.contains(f.getKey())) {
                        a.set(f.getKey(), f.getValue().deepCopy());
                    }
                }
            } else if (!hasLocation(a) && !a.path("optional").asBoolean(false)) {
                throw new NodeErrorException(
                        ("input artifact '%s' of template '%s' was not passed: give it in the"
                                        + " step's arguments.artifacts with from: or raw: (%s)")
                                .formatted(
                                        name,
                                        resolved.name(),
                                        resolved.at("inputs.artifacts[" + i + "]")));
            }
            scope = scope.withArtifact("inputs.artifacts." + name, a);
        }
        if (!template.has("outputs")) {
            template.putObject("outputs");
        }
        if (!template.has("metadata")) {
            template.putObject("metadata");
        }
        return new BoundTemplate(resolved, template, values, scope);
    }

    private static boolean containsScalar(JsonNode values, String value) {
        for (JsonNode v : values) {
            if (value.equals(Scalars.text(v))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLocation(ObjectNode artifact) {
        for (String field : artifact.propertyNames()) {
            if (!LOCATION_FIELDS_KEPT.contains(field)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }
}
