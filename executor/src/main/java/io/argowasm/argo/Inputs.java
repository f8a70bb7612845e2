package io.argowasm.argo;

import java.util.List;

/** A template's inputs. */
public record Inputs(List<Parameter> parameters, List<Artifact> artifacts) {

    static final Inputs EMPTY = new Inputs(List.of(), List.of());

    public Inputs {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        artifacts = Artifact.listOf(artifacts);
    }
}
