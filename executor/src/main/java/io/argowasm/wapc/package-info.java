/**
 * The waPC host on Chicory: modules checked before parsing ({@code ModulePrecheck}), compiled
 * ({@code WapcModule}, {@code CompileCache}), instantiated from snapshots into a pool ({@code
 * InstancePool}) with budgeted memory and tables, WASI with nothing granted ({@code SandboxWasi}),
 * and the host calls a guest may make ({@code HostBindings}). The only package that imports {@code
 * com.dylibso.chicory}, so a change of runtime touches this package alone. It may depend on Chicory
 * and {@code budget}; not on {@code exec} or {@code module}.
 */
package io.argowasm.wapc;
