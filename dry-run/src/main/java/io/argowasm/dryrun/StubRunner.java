package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ends a template dry-run cannot execute (container, script, resource, http) with the outputs the
 * user supplied for it; its output artifacts go to the local artifact directory.
 */
final class StubRunner implements TemplateRunner {

    private final WorkflowRun run;

    StubRunner(WorkflowRun run) {
        this.run = run;
    }

    @Override
    public Node run(TemplateCall invocation, BoundTemplate bound) {
        TemplateKind kind = bound.resolved().kind();
        Node node = run.create(invocation, WorkflowRun.nodeType(kind));
        node.inputs(bound.inputs());
        run.tree.start(node);
        String template = bound.resolved().name();
        Stub stub = run.stubs.forTemplate(template).orElse(null);
        if (stub == null) {
            run.tree.finish(
                    node,
                    NodePhase.Error,
                    kind.describe()
                            + " template '"
                            + template
                            + "' cannot run locally; supply its outputs"
                            + " with --stub "
                            + template
                            + "=...");
            return node;
        }
        try {
            JsonNode outputs = bound.template().path("outputs");
            Map<String, String> parameters = new LinkedHashMap<>();
            Set<String> declared = new HashSet<>();
            for (JsonNode p : outputs.path("parameters")) {
                String name = p.path("name").asString();
                declared.add(name);
                String value = stub.parameters().get(name);
                if (value == null && p.path("valueFrom").has("default")) {
                    value = Scalars.text(p.path("valueFrom").get("default"));
                }
                if (value == null) {
                    throw new NodeErrorException(
                            "the stub of template '"
                                    + template
                                    + "' gives no output parameter '"
                                    + name
                                    + "': add --stub "
                                    + template
                                    + "=param:"
                                    + name
                                    + "=VALUE");
                }
                parameters.put(name, Substitution.apply(value, bound.scope()));
            }
            for (String given : stub.parameters().keySet()) {
                if (!declared.contains(given)) {
                    throw new NodeErrorException(
                            "the stub of template '"
                                    + template
                                    + "' gives output parameter '"
                                    + given
                                    + "', which the template does not declare");
                }
            }
            List<ObjectNode> artifacts = new ArrayList<>();
            Set<String> declaredArtifacts = new HashSet<>();
            for (JsonNode a : outputs.path("artifacts")) {
                String name = a.path("name").asString();
                declaredArtifacts.add(name);
                Path content = stub.artifacts().get(name);
                if (content == null) {
                    if (a.path("optional").asBoolean(false)) {
                        continue;
                    }
                    throw new NodeErrorException(
                            "the stub of template '"
                                    + template
                                    + "' gives no output artifact '"
                                    + name
                                    + "': add --stub "
                                    + template
                                    + "=artifact:"
                                    + name
                                    + "=PATH");
                }
                artifacts.add(run.store.store(run.workflowRef(), invocationId(node), a, content));
            }
            for (String given : stub.artifacts().keySet()) {
                if (!declaredArtifacts.contains(given)) {
                    throw new NodeErrorException(
                            "the stub of template '"
                                    + template
                                    + "' gives output artifact '"
                                    + given
                                    + "', which the template does not declare");
                }
            }
            node.outputs(parameters, artifacts, stub.result());
        } catch (NodeErrorException | UnresolvedVariableException e) {
            run.tree.finish(node, NodePhase.Error, e.getMessage());
            return node;
        } catch (RuntimeException e) {
            run.tree.finish(
                    node, NodePhase.Error, "storing the stub's outputs failed: " + e.getMessage());
            return node;
        }
        String message = "stubbed: " + kind.describe() + " template not run locally";
        if (stub.message() != null && !stub.message().isEmpty()) {
            message = stub.message() + " (" + message + ")";
        }
        run.tree.finish(node, stub.phase(), message);
        return node;
    }

    /** The node's own part of its id, so stored keys do not repeat the workflow's name. */
    private String invocationId(Node node) {
        String prefix = run.workflow.name() + "-";
        return node.id().startsWith(prefix) ? node.id().substring(prefix.length()) : "root";
    }
}
