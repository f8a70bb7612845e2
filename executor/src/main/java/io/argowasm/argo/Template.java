package io.argowasm.argo;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The part of Argo's {@code wfv1.Template} a plugin reads. Parameters are already substituted by
 * the controller; argument artifacts are merged into {@code inputs.artifacts}.
 */
public record Template(String name, Inputs inputs, Outputs outputs, Map<String, JsonNode> plugin) {

    public Inputs inputsOrEmpty() {
        return inputs == null ? Inputs.EMPTY : inputs;
    }

    public Outputs outputsOrEmpty() {
        return outputs == null ? Outputs.EMPTY : outputs;
    }
}
