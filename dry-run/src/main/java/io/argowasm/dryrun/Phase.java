package io.argowasm.dryrun;

/** Argo's node phases. */
public enum Phase {
    Pending,
    Running,
    Succeeded,
    Skipped,
    Failed,
    Error,
    Omitted;

    boolean done() {
        return this != Pending && this != Running;
    }

    /** Succeeded, or not run by choice: what lets the next step go on. */
    boolean fulfilled() {
        return this == Succeeded || this == Skipped || this == Omitted;
    }

    boolean failed() {
        return this == Failed || this == Error;
    }
}
