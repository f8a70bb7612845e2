package io.argowasm.argo;

/**
 * Argo's node phases. A plugin reports Pending, Running, Succeeded, Failed or Error for its node;
 * Skipped and Omitted are the controller's (a {@code when} that is false, a dag task left out),
 * which dry-run reports as Argo would.
 */
public enum NodePhase {
    Pending,
    Running,
    Succeeded,
    Skipped,
    Failed,
    Error,
    Omitted;

    /** Neither Pending nor Running. */
    public boolean done() {
        return this != Pending && this != Running;
    }

    /** Succeeded, or not run by choice: what lets the next step go on. */
    public boolean fulfilled() {
        return this == Succeeded || this == Skipped || this == Omitted;
    }

    public boolean failed() {
        return this == Failed || this == Error;
    }
}
