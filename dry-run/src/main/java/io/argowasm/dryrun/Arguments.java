package io.argowasm.dryrun;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a step or task passes to its template, substituted: parameter values, and artifacts with
 * their location ({@code s3.key} of an earlier output, or {@code raw}).
 */
record Arguments(Map<String, String> parameters, Map<String, ObjectNode> artifacts) {

    static final Arguments NONE = new Arguments(Map.of(), Map.of());

    /** A step's {@code arguments} block, substituted in the caller's scope. */
    static Arguments of(JsonNode arguments, Scope scope) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (JsonNode p : arguments.path("parameters")) {
            String name = p.path("name").asString();
            parameters.put(name, Substitution.apply(Scalars.text(p.path("value")), scope));
        }
        Map<String, ObjectNode> artifacts = new LinkedHashMap<>();
        for (JsonNode a : arguments.path("artifacts")) {
            String name = a.path("name").asString();
            ObjectNode artifact;
            if (a.has("from")) {
                artifact = Substitution.artifact(a.get("from").asString(), scope).deepCopy();
            } else {
                artifact = (ObjectNode) Substitution.apply(a, scope);
            }
            artifact.put("name", name);
            artifacts.put(name, artifact);
        }
        return new Arguments(parameters, artifacts);
    }
}
