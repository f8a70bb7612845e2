package io.argowasm.exec;

/**
 * Where a step's guest output goes: {@code plugin.wasm.logs} in a template, {@code --guest-logs}
 * for templates that do not say. Lower case, as templates and the flag spell it.
 */
public enum GuestLogs {
    /** Only the log (the sidecar's stderr), where it ends with the agent pod. */
    log,
    /**
     * The log, and the whole output of the step (within its output budget) as the output artifact
     * {@value GuestLogArtifact#NAME} in the workflow's artifact repository, which outlives the pod.
     */
    artifact
}
