package io.argowasm.dryrun;

import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.argo.NodeResult;
import io.argowasm.argo.Outputs;
import io.argowasm.exec.TemplateExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs a {@code plugin: wasm} template through the in-process plugin, as Argo's agent would post
 * it, with {@code retryStrategy} attempts as children of a Retry node.
 */
final class WasmStepRunner implements TemplateRunner {

    private final WorkflowRun run;
    private final PluginClient plugin;

    WasmStepRunner(WorkflowRun run, PluginClient plugin) {
        this.run = run;
        this.plugin = plugin;
    }

    @Override
    public Node run(TemplateCall invocation, BoundTemplate bound) {
        RetryStrategy retry;
        try {
            retry = RetryStrategy.of(bound.template(), bound.scope());
        } catch (NodeErrorException | UnresolvedVariableException e) {
            Node node = run.create(invocation, NodeType.Plugin);
            run.finish(node, NodePhase.Error, e.getMessage());
            return node;
        }
        if (retry == null) {
            Node node = run.create(invocation, NodeType.Plugin);
            attempt(node, bound, bound.scope());
            return node;
        }
        Node retries = run.create(invocation, NodeType.Retry);
        retries.inputs(bound.inputs());
        run.tree().start(retries);
        Node last = null;
        for (int i = 0; i <= retry.limit(); i++) {
            last =
                    run.tree()
                            .create(
                                    retries,
                                    retries.name() + "(" + i + ")",
                                    retries.displayName() + "(" + i + ")",
                                    NodeType.Plugin,
                                    retries.templateName(),
                                    i);
            attempt(last, bound, bound.scope().with("retries", String.valueOf(i)));
            if (!retry.retries(last.phase())) {
                break;
            }
        }
        retries.outputs(last.outputParameters(), last.outputArtifacts(), last.result());
        String message = last.message();
        if (last.phase().failed() && retry.limit() > 0) {
            message =
                    "no more retries left (%s attempts): %s"
                            .formatted((retry.limit() + 1), message);
        }
        run.finish(retries, last.phase(), message);
        return retries;
    }

    private void attempt(Node node, BoundTemplate bound, Scope scope) {
        node.inputs(bound.inputs());
        run.tree().start(node);
        try {
            ObjectNode template = (ObjectNode) Substitution.apply(bound.template(), scope);
            resolveModuleFile(template, bound.resolved().document());
            ObjectNode body = Json.mapper().createObjectNode();
            body.putObject("workflow")
                    .putObject("metadata")
                    .put("name", run.workflowRef().name())
                    .put("namespace", run.workflowRef().namespace())
                    .put("uid", run.workflowRef().uid());
            body.set("template", template);
            NodeResult reply =
                    run.inLeafSlot(
                            () ->
                                    plugin.execute(
                                            body,
                                            bound.resolved().name(),
                                            waiting -> run.tree().waiting(node, waiting)));
            record(node, reply);
        } catch (NodeErrorException | UnresolvedVariableException e) {
            run.finish(node, NodePhase.Error, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.finish(node, NodePhase.Error, "the dry run was interrupted");
        } catch (Exception e) {
            run.finish(node, NodePhase.Error, "calling the plugin failed: %s".formatted(e));
        }
    }

    /** The plugin's final answer onto the node: its outputs, then its phase and message. */
    private void record(Node node, NodeResult reply) {
        Outputs outputs = reply.outputs();
        Map<String, String> parameters = new LinkedHashMap<>();
        List<ObjectNode> artifacts = new ArrayList<>();
        String result = null;
        if (outputs != null) {
            // A parameter without a value reads as empty, as Argo's substitution does.
            outputs.parameters()
                    .forEach(p -> parameters.put(p.name(), p.value() == null ? "" : p.value()));
            outputs.artifacts().forEach(a -> artifacts.add((ObjectNode) a.json()));
            result = outputs.result();
        }
        node.outputs(parameters, artifacts, result);
        if (reply.phase() == null) {
            throw new NodeErrorException("the plugin answered a node without a phase");
        }
        run.finish(node, reply.phase(), reply.message() == null ? "" : reply.message());
    }

    /** {@code module.file} is relative to the workflow file, as {@code run --template} reads it. */
    private static void resolveModuleFile(ObjectNode template, WorkflowDocument document) {
        JsonNode module = template.path("plugin").path(TemplateExecutor.PLUGIN_NAME).path("module");
        if (module instanceof ObjectNode m && m.path("file").isString()) {
            Path file = Path.of(m.get("file").asString());
            if (!file.isAbsolute()) {
                m.put(
                        "file",
                        WorkflowRun.directoryOf(document).resolve(file).normalize().toString());
            }
        }
    }
}
