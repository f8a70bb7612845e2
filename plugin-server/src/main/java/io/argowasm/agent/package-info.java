/**
 * The long-lived agent of Argo 4.1 ({@code disableAgentPodCreation}): an informer on
 * WorkflowTaskSets queues each task set's key ({@code TaskSetAgent}), workers run its {@code
 * plugin: wasm} tasks through {@code exec.TemplateExecutor} ({@code WasmTasks}) and its {@code
 * http} tasks ({@code HttpTasks}), {@code ResultWriter} patches each node's result alone into the
 * task set's status, and {@code LeasedShards} shares the task sets among replicas through Leases.
 * It may depend on the core ({@code argo}, {@code exec}, {@code module}, {@code metrics}) and
 * fabric8; not on the sidecar, dry-run or the command line, so it can become a module of its own.
 */
package io.argowasm.agent;
