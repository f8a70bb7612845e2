/**
 * Running one {@code plugin: wasm} template: the template's block read and checked ({@code
 * WasmPluginSpec}), its module found, its artifacts staged, the guest called and its answer turned
 * into Argo's {@code NodeResult} ({@code TemplateExecutor}). Every front door (the sidecar, {@code
 * run}, dry-run, the agent) calls {@link io.argowasm.exec.TemplateExecutor}; a step's failure is a
 * {@code Failed} node, never an exception. It may depend on {@code argo}, {@code module}, {@code
 * wapc}, {@code budget}, {@code metrics} and {@code artifact-io}; never on a front door (server,
 * dry-run, cli, agent), picocli, Javalin or fabric8.
 */
package io.argowasm.exec;
