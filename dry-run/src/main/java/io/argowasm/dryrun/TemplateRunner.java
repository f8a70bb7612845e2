package io.argowasm.dryrun;

/**
 * Runs one kind of template ({@code steps}, {@code dag}, {@code plugin: wasm}, {@code suspend}, a
 * stubbed pod) at its node. {@link WorkflowRun} picks the runner by {@link TemplateKind}.
 */
interface TemplateRunner {

    /** Runs the template and returns its finished node; problems end the node, never throw. */
    Node run(TemplateCall call, BoundTemplate bound);
}
