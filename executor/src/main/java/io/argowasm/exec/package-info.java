/**
 * Running one {@code plugin: wasm} template: the template's block read and checked ({@code
 * WasmPluginSpec}), its module found, its artifacts staged, the guest called and its answer turned
 * into Argo's {@code NodeResult} ({@code TemplateExecutor}). Every front door (the sidecar, {@code
 * run}, dry-run, the agent) calls {@link io.argowasm.exec.TemplateExecutor}; a step's failure is a
 * {@code Failed} node, never an exception.
 */
package io.argowasm.exec;
