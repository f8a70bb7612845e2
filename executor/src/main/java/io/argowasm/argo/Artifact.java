package io.argowasm.argo;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * Argo's {@code Artifact}: a name, the path the template declares, and one location ({@code s3},
 * {@code raw}, {@code http}, ...). The JSON is kept as it came and handed to artifact-io unchanged,
 * so a field this plugin does not interpret is echoed back, and an artifact artifact-io cannot read
 * fails its step (a {@code Failed} node) instead of the request.
 */
public final class Artifact {

    private final JsonNode json;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public Artifact(JsonNode json) {
        this.json = json == null ? NullNode.getInstance() : json.deepCopy();
    }

    /**
     * A list of artifacts as Argo sent it, a {@code null} entry kept as an artifact of JSON null so
     * that the step, not the request, fails on it.
     */
    static List<Artifact> listOf(List<Artifact> artifacts) {
        if (artifacts == null) {
            return List.of();
        }
        return artifacts.stream()
                .map(a -> a == null ? new Artifact(NullNode.getInstance()) : a)
                .toList();
    }

    /** The artifact's JSON as Argo sent it (or as artifact-io wrote it, for an output). */
    @JsonValue
    public JsonNode json() {
        return json.deepCopy();
    }

    public String getName() {
        return text("name");
    }

    public String getPath() {
        return text("path");
    }

    /** Whether the template marks it {@code optional: true}. */
    public boolean isOptional() {
        JsonNode value = json.get("optional");
        return value != null && value.isBoolean() && value.asBoolean();
    }

    /**
     * Any field as it came (the location {@code s3}, {@code raw}, ..., {@code archive}), or null.
     */
    public JsonNode field(String name) {
        JsonNode value = json.get(name);
        return value == null ? null : value.deepCopy();
    }

    /** A string field, or null when it is absent or not a string. */
    private String text(String field) {
        JsonNode value = json.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Artifact a && json.equals(a.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
