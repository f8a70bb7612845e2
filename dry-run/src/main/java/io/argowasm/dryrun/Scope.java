package io.argowasm.dryrun;

import io.argowasm.argo.Json;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The variables a template sees while it runs ({@code workflow.*}, {@code inputs.*}, {@code
 * steps.*}, {@code tasks.*}, {@code item}), as Argo's controller keeps them: parameters as strings,
 * artifacts as Argo artifact objects (a name and a location). Adding returns a new scope; a scope
 * is never changed once shared.
 */
final class Scope {

    private final Map<String, String> parameters;
    private final Map<String, ObjectNode> artifacts;

    private Scope(Map<String, String> parameters, Map<String, ObjectNode> artifacts) {
        this.parameters = parameters;
        this.artifacts = artifacts;
    }

    static Scope empty() {
        return new Scope(Map.of(), Map.of());
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    Optional<ObjectNode> artifact(String name) {
        return Optional.ofNullable(artifacts.get(name));
    }

    Scope with(String name, String value) {
        return with(Map.of(name, value));
    }

    Scope with(Map<String, String> values) {
        Map<String, String> copy = new HashMap<>(parameters);
        copy.putAll(values);
        return new Scope(copy, artifacts);
    }

    Scope withArtifact(String name, ObjectNode artifact) {
        Map<String, ObjectNode> copy = new HashMap<>(artifacts);
        copy.put(name, artifact);
        return new Scope(parameters, copy);
    }

    /** Adds {@code item}, and {@code item.<field>} when the item is an object. */
    Scope withItem(JsonNode item) {
        Map<String, String> values = new HashMap<>();
        values.put("item", Scalars.text(item));
        if (item.isObject()) {
            for (Map.Entry<String, JsonNode> field : item.properties()) {
                values.put("item." + field.getKey(), Scalars.text(field.getValue()));
            }
        }
        return with(values);
    }

    /** Adds the results of a finished step or task under {@code prefix} ({@code steps.greet}). */
    Scope withNode(String prefix, Node node) {
        Map<String, String> values = new HashMap<>();
        values.put(prefix + ".status", node.phase().name());
        values.put(prefix + ".id", node.id());
        node.outputParameters()
                .forEach(
                        (name, value) -> values.put(prefix + ".outputs.parameters." + name, value));
        if (node.result() != null) {
            values.put(prefix + ".outputs.result", node.result());
        }
        Scope scope = with(values);
        for (ObjectNode artifact : node.outputArtifacts()) {
            scope =
                    scope.withArtifact(
                            prefix + ".outputs.artifacts." + artifact.path("name").asString(),
                            artifact);
        }
        return scope;
    }

    /**
     * Adds the results of a step or task expanded over items, as Argo aggregates them: each output
     * parameter as a JSON list of the items' values, {@code outputs.parameters} as a JSON list of
     * each item's parameters.
     */
    Scope withExpandedNodes(String prefix, Iterable<Node> children, String phase) {
        Map<String, String> values = new HashMap<>();
        values.put(prefix + ".status", phase);
        ArrayNode perItem = Json.mapper().createArrayNode();
        Map<String, ArrayNode> byName = new LinkedHashMap<>();
        ArrayNode results = Json.mapper().createArrayNode();
        for (Node child : children) {
            if (!child.outputParameters().isEmpty()) {
                ObjectNode item = perItem.addObject();
                child.outputParameters()
                        .forEach(
                                (name, value) -> {
                                    item.put(name, value);
                                    byName.computeIfAbsent(
                                                    name, n -> Json.mapper().createArrayNode())
                                            .add(value);
                                });
            }
            if (child.result() != null) {
                results.add(child.result());
            }
        }
        if (!perItem.isEmpty()) {
            values.put(prefix + ".outputs.parameters", Json.mapper().writeValueAsString(perItem));
        }
        byName.forEach(
                (name, list) ->
                        values.put(
                                prefix + ".outputs.parameters." + name,
                                Json.mapper().writeValueAsString(list)));
        if (!results.isEmpty()) {
            values.put(prefix + ".outputs.result", Json.mapper().writeValueAsString(results));
        }
        return with(values);
    }
}
