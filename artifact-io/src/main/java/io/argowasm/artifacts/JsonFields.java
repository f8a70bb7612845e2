package io.argowasm.artifacts;

import tools.jackson.databind.JsonNode;

/** Null-tolerant reads of Argo's optional fields. */
final class JsonFields {
    private JsonFields() {}

    /** The field as text, or {@code null} when absent, null or empty. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainer()) {
            return null;
        }
        String text = value.asString();
        return text.isEmpty() ? null : text;
    }

    static boolean flag(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.asBoolean(false);
    }
}
