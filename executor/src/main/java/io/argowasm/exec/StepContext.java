package io.argowasm.exec;

import io.argowasm.argo.WorkflowMetadata;

/** Which workflow and template an invocation serves, for payloads, keys and log lines. */
public record StepContext(String workflow, String namespace, String uid, String template) {

    public static StepContext of(WorkflowMetadata metadata, String template) {
        return new StepContext(
                orEmpty(metadata.name()),
                orEmpty(metadata.namespace()),
                orEmpty(metadata.uid()),
                orEmpty(template));
    }

    /** How log lines name the step: {@code namespace/workflow template}. */
    public String describe() {
        return (namespace.isEmpty() ? "" : namespace + "/") + workflow + " " + template;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
