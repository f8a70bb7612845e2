package io.argowasm.dryrun;

/** Argo's node types, as {@code argo get -o json} shows them. */
public enum NodeType {
    Steps,
    StepGroup,
    DAG,
    Retry,
    Plugin,
    Pod,
    Suspend,
    Skipped
}
