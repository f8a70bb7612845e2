package io.argowasm.dryrun;

/** Ends a steps or dag node: its declared outputs, then Succeeded (or Error if they fail). */
final class Outputs {

    private Outputs() {}

    static Node finish(WorkflowRun run, Node node, BoundTemplate bound, Scope scope) {
        try {
            TemplateOutputs outputs = TemplateOutputs.collect(bound.template(), scope);
            node.outputs(outputs.parameters(), outputs.artifacts(), null);
        } catch (StepError | UnresolvedVariableException e) {
            run.tree.finish(node, Phase.Error, e.getMessage());
            return node;
        }
        run.tree.finish(node, Phase.Succeeded, "");
        return node;
    }
}
