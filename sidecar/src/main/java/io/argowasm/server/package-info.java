/**
 * The sidecar: the HTTP endpoint Argo's agent posts {@code ExecuteTemplateArgs} to ({@code
 * PluginServer}), its token check ({@code TokenCheck}), {@code /healthz} and {@code /metrics}.
 * Nothing escapes a request: a body it cannot read is a 400, everything else an Argo reply.
 */
package io.argowasm.server;
