package io.argowasm.argo;

/** The phases a plugin may report for its node. */
public enum NodePhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Error
}
