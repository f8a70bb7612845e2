package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.util.List;

/** What a dry run did: the workflow it ran, its nodes, and notes on what it left out. */
public record DryRunResult(WorkflowDefinition workflow, NodeTree tree, List<String> notes) {

    public NodePhase phase() {
        return tree.root().phase();
    }
}
