package io.argowasm.argo;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Argo's {@code NodeResult}: what the controller copies onto the node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeResult(NodePhase phase, String message, Outputs outputs) {

    public static NodeResult succeeded(String message, Outputs outputs) {
        return new NodeResult(NodePhase.Succeeded, message, outputs);
    }

    public static NodeResult failed(String message) {
        return new NodeResult(NodePhase.Failed, message, null);
    }
}
