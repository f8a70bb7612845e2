package io.argowasm.dryrun;

import io.argowasm.argo.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The items of a step or task with {@code withItems} or {@code withParam} (a JSON list). */
final class ItemExpansion {

    private ItemExpansion() {}

    /** The items, or empty when the step is not expanded. */
    static Optional<List<JsonNode>> of(JsonNode step, Scope scope) {
        if (step.has("withItems")) {
            List<JsonNode> items = new ArrayList<>();
            Substitution.apply(step.get("withItems"), scope).forEach(items::add);
            return Optional.of(items);
        }
        if (step.has("withParam")) {
            String text = Substitution.apply(Scalars.text(step.get("withParam")), scope);
            JsonNode list;
            try {
                list = Json.mapper().readTree(text);
            } catch (JacksonException e) {
                throw new NodeErrorException(
                        "withParam is not a JSON list: '%s'".formatted(abbreviate(text)));
            }
            if (list == null || !list.isArray()) {
                throw new NodeErrorException(
                        "withParam is not a JSON list: '%s'".formatted(abbreviate(text)));
            }
            List<JsonNode> items = new ArrayList<>();
            list.forEach(items::add);
            return Optional.of(items);
        }
        return Optional.empty();
    }

    /** How Argo names an item's node: {@code step(index:label)}. */
    static String nodeSuffix(int index, JsonNode item) {
        String label;
        if (item.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            item.properties().forEach(e -> sorted.put(e.getKey(), Scalars.text(e.getValue())));
            List<String> parts = new ArrayList<>();
            sorted.forEach((k, v) -> parts.add(k + ":" + v));
            label = String.join(",", parts);
        } else {
            label = Scalars.text(item);
        }
        return "(" + index + ":" + label + ")";
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
