package io.argowasm.argo;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A template's declared outputs, and the outputs a node reports back. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Outputs(List<Parameter> parameters, List<Artifact> artifacts, String result) {

    static final Outputs EMPTY = new Outputs(List.of(), List.of(), null);

    public Outputs {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        artifacts = Artifact.listOf(artifacts);
    }
}
