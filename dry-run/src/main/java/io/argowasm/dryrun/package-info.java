/**
 * Argo workflows run locally: documents validated against Argo's schema ({@code ArgoSchema}) or
 * linted ({@code WorkflowLint}), checked ({@code WorkflowChecker}), then run by {@code DryRun}:
 * {@code WorkflowRun} and its runners expand steps, dags, loops, conditions and retries as Argo
 * does, and {@code WasmStepRunner} posts each {@code plugin: wasm} step to an in-process sidecar as
 * Argo's agent would. The node tree is printed as {@code argo get} does ({@code TreePrinter}) or as
 * the Workflow's status ({@code JsonReport}). A workflow's problems are an {@code
 * InvalidWorkflowException} before the run; a step's are its node's {@code Error}, never thrown. It
 * may depend on the core, {@code artifact-io}, the sidecar ({@code server}, which it posts steps
 * to) and json-schema-validator; not on picocli, the command line or the agent.
 */
package io.argowasm.dryrun;
