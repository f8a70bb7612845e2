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
    private final Stubs stubs;
    private final LocalArtifactStore store;

    StubRunner(WorkflowRun run, Stubs stubs, LocalArtifactStore store) {
        this.run = run;
        this.stubs = stubs;
        this.store = store;
    }

    @Override
    public Node run(TemplateCall invocation, BoundTemplate bound) {
        TemplateKind kind = bound.resolved().kind();
        Node node = run.open(invocation, WorkflowRun.nodeType(kind), bound);
        String template = bound.resolved().name();
        Stub stub = stubs.forTemplate(template).orElse(null);
        if (stub == null) {
            return run.finish(node, NodePhase.Error, noStub(kind, template));
        }
        try {
            JsonNode outputs = bound.template().path("outputs");
            Map<String, String> parameters = parameters(outputs, stub, template, bound.scope());
            List<ObjectNode> artifacts = artifacts(outputs, stub, template, node);
            node.outputs(parameters, artifacts, stub.result());
        } catch (NodeErrorException | UnresolvedVariableException e) {
            return run.finish(node, NodePhase.Error, e.getMessage());
        } catch (RuntimeException e) {
            return run.finish(
                    node,
                    NodePhase.Error,
                    "storing the stub's outputs failed: %s".formatted(e.getMessage()));
        }
        return run.finish(node, stub.phase(), finalMessage(stub, kind));
    }

    /** The declared output parameters: the stub's value, else {@code valueFrom.default}. */
    private static Map<String, String> parameters(
            JsonNode outputs, Stub stub, String template, Scope scope) {
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
                        missingOutput(template, "parameter", "param", name, "VALUE"));
            }
            parameters.put(name, Substitution.apply(value, scope));
        }
        rejectUndeclared(template, "parameter", stub.parameters().keySet(), declared);
        return parameters;
    }

    /** The declared output artifacts, each stub file stored in the local artifact directory. */
    private List<ObjectNode> artifacts(JsonNode outputs, Stub stub, String template, Node node) {
        List<ObjectNode> artifacts = new ArrayList<>();
        Set<String> declared = new HashSet<>();
        for (JsonNode a : outputs.path("artifacts")) {
            String name = a.path("name").asString();
            declared.add(name);
            Path content = stub.artifacts().get(name);
            if (content == null) {
                if (a.path("optional").asBoolean(false)) {
                    continue;
                }
                throw new NodeErrorException(
                        missingOutput(template, "artifact", "artifact", name, "PATH"));
            }
            artifacts.add(store.store(run.workflowRef(), invocationId(node), a, content));
        }
        rejectUndeclared(template, "artifact", stub.artifacts().keySet(), declared);
        return artifacts;
    }

    private static void rejectUndeclared(
            String template, String what, Set<String> given, Set<String> declared) {
        for (String name : given) {
            if (!declared.contains(name)) {
                throw new NodeErrorException(
                        "the stub of template '%s' gives output %s '%s', which the template does not declare"
                                .formatted(template, what, name));
            }
        }
    }

    private static String noStub(TemplateKind kind, String template) {
        return "%s template '%s' cannot run locally; supply its outputs with %s %s=..."
                .formatted(kind.describe(), template, DryRunFlags.STUB, template);
    }

    /** The stub misses a declared output: the {@code --stub} that supplies it. */
    private static String missingOutput(
            String template, String what, String prefix, String name, String placeholder) {
        return "the stub of template '%s' gives no output %s '%s': add %s %s=%s:%s=%s"
                .formatted(
                        template,
                        what,
                        name,
                        DryRunFlags.STUB,
                        template,
                        prefix,
                        name,
                        placeholder);
    }

    private static String finalMessage(Stub stub, TemplateKind kind) {
        String message = "stubbed: %s template not run locally".formatted(kind.describe());
        if (stub.message() != null && !stub.message().isEmpty()) {
            return "%s (%s)".formatted(stub.message(), message);
        }
        return message;
    }

    /** The node's own part of its id, so stored keys do not repeat the workflow's name. */
    private String invocationId(Node node) {
        String prefix = run.workflowRef().name() + "-";
        return node.id().startsWith(prefix) ? node.id().substring(prefix.length()) : "root";
    }
}
