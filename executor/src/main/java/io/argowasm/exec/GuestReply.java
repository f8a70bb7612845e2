package io.argowasm.exec;

import io.argowasm.argo.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The guest's response: {@code {"parameters": {...}, "message": "..."}}. String values pass as they
 * are; any other JSON value becomes its JSON text.
 */
record GuestReply(Map<String, String> parameters, String message) {

    static GuestReply parse(JsonMapper json, byte[] response) throws StepFailure {
        JsonNode root;
        try {
            root = json.readTree(response);
        } catch (JacksonException e) {
            throw new StepFailure(
                    ("the guest's response is not JSON (%s); a guest answers"
                                    + " {\"parameters\":{...}}")
                            .formatted(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new StepFailure(
                    "the guest's response is not a JSON object; a guest answers"
                            + " {\"parameters\":{...}}");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        JsonNode params = root.get("parameters");
        if (params != null && !params.isNull()) {
            if (!params.isObject()) {
                throw new StepFailure(
                        "the guest's response has 'parameters' that is not an object");
            }
            for (Map.Entry<String, JsonNode> e : params.properties()) {
                JsonNode v = e.getValue();
                parameters.put(
                        e.getKey(), v.isString() ? v.asString() : json.writeValueAsString(v));
            }
        }
        JsonNode message = root.get("message");
        return new GuestReply(
                parameters,
                message == null || message.isNull()
                        ? ""
                        : message.isString() ? message.asString() : message.toString());
    }

    /**
     * The output parameters for the node: each declared one from the guest or its {@code
     * valueFrom.default}, then any the guest returned beyond those.
     */
    List<Parameter> outputs(List<Parameter> declared) throws StepFailure {
        List<Parameter> out = new ArrayList<>();
        Map<String, String> rest = new LinkedHashMap<>(parameters);
        List<String> missing = new ArrayList<>();
        for (Parameter d : declared) {
            String value = rest.remove(d.name());
            if (value == null) {
                value = d.fallback();
            }
            if (value == null) {
                missing.add(d.name());
            } else {
                out.add(Parameter.of(d.name(), value));
            }
        }
        if (!missing.isEmpty()) {
            throw new StepFailure(
                    ("the guest did not return the declared output parameter%s%s"
                                    + " (and no valueFrom.default is set); returned: %s")
                            .formatted(
                                    missing.size() > 1 ? "s " : " ",
                                    String.join(", ", missing),
                                    parameters.isEmpty()
                                            ? "none"
                                            : String.join(", ", parameters.keySet())));
        }
        rest.forEach((name, value) -> out.add(Parameter.of(name, value)));
        return out;
    }
}
