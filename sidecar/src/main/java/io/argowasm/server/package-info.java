/**
 * The sidecar: the HTTP endpoint Argo's agent posts {@code ExecuteTemplateArgs} to ({@code
 * PluginServer}), its token check ({@code TokenCheck}), {@code /healthz} and {@code /metrics}.
 * Nothing escapes a request: a body it cannot read is a 400, everything else an Argo reply. It may
 * depend on the core ({@code argo}, {@code exec}, {@code budget}, {@code metrics}) and Javalin; not
 * on dry-run, the command line, the agent, picocli or fabric8.
 */
package io.argowasm.server;
