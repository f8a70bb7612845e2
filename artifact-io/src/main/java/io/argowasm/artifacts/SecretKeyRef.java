package io.argowasm.artifacts;

import tools.jackson.databind.JsonNode;

/**
 * A reference to one key of a Kubernetes Secret ({@code {name, key}}), as in Argo's {@code
 * accessKeySecret}. It holds no secret value.
 */
public record SecretKeyRef(String name, String key) {
    static SecretKeyRef fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        return new SecretKeyRef(JsonFields.text(node, "name"), JsonFields.text(node, "key"));
    }
}
