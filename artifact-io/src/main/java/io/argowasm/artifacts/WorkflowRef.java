package io.argowasm.artifacts;

import java.util.Objects;

/**
 * The workflow a plugin call belongs to, as Argo's agent names it in the request's {@code
 * workflow.metadata}.
 *
 * @param name the Workflow's name
 * @param namespace the Workflow's namespace; secrets and ConfigMaps are read there
 * @param uid the Workflow's uid (Argo sends it since v3.4.2; may be empty for older agents)
 */
public record WorkflowRef(String name, String namespace, String uid) {
    public WorkflowRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        uid = uid == null ? "" : uid;
        if (name.isBlank()) {
            throw new IllegalArgumentException("workflow name must not be blank");
        }
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
