package io.argowasm.dryrun;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks, before anything runs, the templates the entrypoint reaches: that every referenced
 * template exists, that every required input is passed, that DAG dependencies name tasks and form
 * no cycle, that templates dry-run cannot execute have stubs, and that no construct dry-run does
 * not implement is present. Fields that only shape pods in a cluster are accepted; fields whose
 * effect a dry run leaves out become notes.
 */
final class WorkflowChecker {

    private static final Set<String> SPEC_UNSUPPORTED =
            Set.of(
                    "onExit",
                    "hooks",
                    "templateDefaults",
                    "retryStrategy",
                    "suspend",
                    "shutdown",
                    "synchronization");
    private static final Set<String> TEMPLATE_UNSUPPORTED =
            Set.of("daemon", "memoize", "synchronization", "failFast");
    private static final Set<String> TEMPLATE_NOT_ENFORCED =
            Set.of("activeDeadlineSeconds", "timeout", "pendingTimeout");
    private static final Set<String> STEP_UNSUPPORTED =
            Set.of("hooks", "inline", "onExit", "withSequence");
    private static final Set<String> RETRY_KEYS = Set.of("limit", "retryPolicy", "backoff");

    private final TemplateResolver resolver;
    private final Stubs stubs;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> notes = new LinkedHashSet<>();
    private final Set<String> visited = new HashSet<>();
    private final Set<String> reachedTemplates = new HashSet<>();
    private final Set<String> missingStubs = new LinkedHashSet<>();

    WorkflowChecker(TemplateResolver resolver, Stubs stubs) {
        this.resolver = resolver;
        this.stubs = stubs;
    }

    /**
     * Checks a workflow.
     *
     * @return notes about what the dry run leaves out
     * @throws InvalidWorkflowException listing every problem found
     */
    List<String> check(WorkflowDefinition workflow) {
        checkSpec(workflow.submitted());
        if (workflow.templates() != workflow.submitted()) {
            checkSpec(workflow.templates());
        }
        ResolvedTemplate entry =
                resolver.byName(workflow.templates(), workflow.entrypoint()).orElseThrow();
        JsonNode inputs = entry.template().path("inputs").path("parameters");
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode p = inputs.get(i);
            String name = p.path("name").asString();
            if (!p.has("value") && !p.has("default") && !workflow.parameters().containsKey(name)) {
                problems.add(
                        "%s: the entrypoint's input parameter '%s' has no value; pass %s %s=VALUE"
                                .formatted(
                                        entry.at("inputs.parameters[%d]".formatted(i)),
                                        name,
                                        DryRunFlags.PARAMETER,
                                        name));
            }
        }
        visit(entry);
        for (String stubbed : stubs.templates()) {
            if (!reachedTemplates.contains(stubbed)) {
                problems.add(
                        "%s %s: the workflow runs no template named '%s'"
                                .formatted(DryRunFlags.STUB, stubbed, stubbed));
            }
        }
        if (!missingStubs.isEmpty()) {
            problems.add(
                    ("not runnable locally: %s. dry-run executes plugin: wasm, steps, dag and"
                                    + " suspend templates; supply the outputs of the others with"
                                    + " %s TEMPLATE=param:NAME=VALUE (or artifact:NAME=PATH), or a"
                                    + " %s file")
                            .formatted(
                                    String.join(", ", missingStubs),
                                    DryRunFlags.STUB,
                                    DryRunFlags.STUBS));
        }
        if (!problems.isEmpty()) {
            throw new InvalidWorkflowException(problems);
        }
        return List.copyOf(notes);
    }

    private void checkSpec(WorkflowDocument document) {
        JsonNode spec = document.node().path("spec");
        for (String key : spec.propertyNames()) {
            if (SPEC_UNSUPPORTED.contains(key)) {
                problems.add(
                        "%s: %s is not supported by dry-run"
                                .formatted(document.at("spec." + key), key));
            }
        }
        if (spec.has("activeDeadlineSeconds")) {
            notes.add(
                    "%s: not enforced by dry-run"
                            .formatted(document.at("spec.activeDeadlineSeconds")));
        }
        if (spec.path("arguments").has("artifacts")) {
            problems.add(
                    ("%s: workflow artifacts are not supported by dry-run; pass artifacts between"
                                    + " steps with from:, or give the template input raw: data")
                            .formatted(document.at("spec.arguments.artifacts")));
        }
    }

    private void visit(ResolvedTemplate t) {
        String key = t.document().source() + "#" + t.document().index() + "#" + t.name();
        if (!visited.add(key)) {
            return;
        }
        reachedTemplates.add(t.name());
        JsonNode template = t.template();
        List<TemplateKind> kinds = TemplateKind.of(template);
        if (kinds.size() == 1 && kinds.get(0).runnable && stubs.forTemplate(t.name()).isPresent()) {
            problems.add(
                    ("%s %s: template '%s' is a %s template, which dry-run runs; stubs stand in"
                                    + " for container, script, resource and http templates")
                            .formatted(
                                    DryRunFlags.STUB, t.name(), t.name(), kinds.get(0).describe()));
        }
        if (kinds.size() != 1) {
            problems.add(
                    ("%s: template '%s' must have exactly one of steps, dag, plugin, suspend,"
                                    + " container, script, resource, http, containerSet, data%s")
                            .formatted(
                                    t.at(""),
                                    t.name(),
                                    (kinds.isEmpty()
                                            ? ""
                                            : " (it has %s)"
                                                    .formatted(
                                                            kinds.stream()
                                                                    .map(k -> k.field)
                                                                    .toList()))));
            return;
        }
        TemplateKind kind = kinds.get(0);
        for (String field : template.propertyNames()) {
            if (TEMPLATE_UNSUPPORTED.contains(field)) {
                problems.add("%s: %s is not supported by dry-run".formatted(t.at(field), field));
            } else if (TEMPLATE_NOT_ENFORCED.contains(field)) {
                notes.add("%s: not enforced by dry-run".formatted(t.at(field)));
            }
        }
        checkRetry(t, kind);
        checkInputs(t);
        checkOutputs(t, kind);
        switch (kind) {
            case STEPS -> checkSteps(t);
            case DAG -> checkDag(t);
            case OTHER_PLUGIN ->
                    problems.add(
                            "%s: template '%s' uses plugin %s; dry-run runs only plugin: wasm"
                                    .formatted(
                                            t.at("plugin"),
                                            t.name(),
                                            template.path("plugin").propertyNames()));
            default -> {
                if (!kind.runnable && stubs.forTemplate(t.name()).isEmpty()) {
                    missingStubs.add(
                            "'%s' (%s, %s)".formatted(t.name(), kind.describe(), t.at("")));
                }
            }
        }
    }

    private void checkRetry(ResolvedTemplate t, TemplateKind kind) {
        JsonNode retry = t.template().path("retryStrategy");
        if (retry.isMissingNode()) {
            return;
        }
        if (kind == TemplateKind.STEPS
                || kind == TemplateKind.DAG
                || kind == TemplateKind.SUSPEND) {
            problems.add(
                    "%s: dry-run retries leaf templates only (plugin: wasm and stubs)"
                            .formatted(t.at("retryStrategy")));
            return;
        }
        for (String key : retry.propertyNames()) {
            if (!RETRY_KEYS.contains(key)) {
                problems.add(
                        "%s: not supported by dry-run".formatted(t.at("retryStrategy." + key)));
            }
        }
        if (retry.has("backoff")) {
            notes.add(
                    "%s: dry-run retries at once, without backoff"
                            .formatted(t.at("retryStrategy.backoff")));
        }
    }

    private void checkInputs(ResolvedTemplate t) {
        JsonNode params = t.template().path("inputs").path("parameters");
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).has("valueFrom")) {
                problems.add(
                        ("%s: input parameters from the cluster are not supported by dry-run;"
                                        + " give a value or default")
                                .formatted(t.at("inputs.parameters[" + i + "].valueFrom")));
            }
        }
    }

    private void checkOutputs(ResolvedTemplate t, TemplateKind kind) {
        JsonNode params = t.template().path("outputs").path("parameters");
        for (int i = 0; i < params.size(); i++) {
            JsonNode p = params.get(i);
            String where = "outputs.parameters[" + i + "]";
            if (p.has("globalName")) {
                problems.add(
                        "%s: global outputs are not supported by dry-run"
                                .formatted(t.at(where + ".globalName")));
            }
            if (kind == TemplateKind.STEPS
                    || kind == TemplateKind.DAG
                    || kind == TemplateKind.SUSPEND) {
                Set<String> allowed =
                        kind == TemplateKind.SUSPEND
                                ? Set.of("supplied", "default")
                                : Set.of("parameter", "default");
                for (String key : p.path("valueFrom").propertyNames()) {
                    if (!allowed.contains(key)) {
                        problems.add(
                                "%s: not supported by dry-run for a %s template (use %s)"
                                        .formatted(
                                                t.at(where + ".valueFrom." + key),
                                                kind.describe(),
                                                String.join(" or ", allowed)));
                    }
                }
            }
        }
        JsonNode artifacts = t.template().path("outputs").path("artifacts");
        for (int i = 0; i < artifacts.size(); i++) {
            if (artifacts.get(i).has("globalName")) {
                problems.add(
                        "%s: global outputs are not supported by dry-run"
                                .formatted(t.at("outputs.artifacts[" + i + "].globalName")));
            }
        }
    }

    private void checkSteps(ResolvedTemplate t) {
        JsonNode groups = t.template().path("steps");
        for (int g = 0; g < groups.size(); g++) {
            JsonNode group = groups.get(g);
            for (int s = 0; s < group.size(); s++) {
                checkStep(t, group.get(s), "steps[" + g + "][" + s + "]");
            }
        }
    }

    private void checkDag(ResolvedTemplate t) {
        JsonNode tasks = t.template().path("dag").path("tasks");
        if (t.template().path("dag").has("target")) {
            problems.add("%s: not supported by dry-run".formatted(t.at("dag.target")));
        }
        Map<String, Set<String>> edges = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode task = tasks.get(i);
            String name = task.path("name").asString();
            String where = "dag.tasks[" + i + "]";
            if (edges.containsKey(name)) {
                problems.add(
                        "%s: task name '%s' is used twice".formatted(t.at(where + ".name"), name));
            }
            if (task.has("depends") && task.has("dependencies")) {
                problems.add("%s: give depends or dependencies, not both".formatted(t.at(where)));
            }
            Set<String> needs = new LinkedHashSet<>();
            try {
                DependsExpression condition = DependsExpression.ofTask(task);
                if (condition != null) {
                    needs.addAll(condition.tasks());
                }
            } catch (IllegalArgumentException e) {
                problems.add("%s: %s".formatted(t.at(where + ".depends"), e.getMessage()));
            }
            edges.put(name, needs);
            checkStep(t, task, where);
        }
        for (int i = 0; i < tasks.size(); i++) {
            String name = tasks.get(i).path("name").asString();
            for (String need : edges.get(name)) {
                if (!edges.containsKey(need)) {
                    problems.add(
                            "%s: task '%s' depends on '%s', which is not a task of this DAG"
                                    .formatted(t.at("dag.tasks[" + i + "]"), name, need));
                }
            }
        }
        String cycle = cycle(edges);
        if (cycle != null) {
            problems.add(
                    "%s: the dependencies form a cycle: %s".formatted(t.at("dag.tasks"), cycle));
        }
    }

    private void checkStep(ResolvedTemplate t, JsonNode step, String where) {
        String at = t.at(where);
        for (String key : step.propertyNames()) {
            if (STEP_UNSUPPORTED.contains(key)) {
                problems.add(
                        "%s: %s is not supported by dry-run"
                                .formatted(t.at(where + "." + key), key));
            }
        }
        JsonNode args = step.path("arguments");
        for (int i = 0; i < args.path("parameters").size(); i++) {
            JsonNode p = args.path("parameters").get(i);
            if (p.has("valueFrom")) {
                problems.add(
                        "%s: not supported by dry-run; give value"
                                .formatted(
                                        t.at(
                                                "%s.arguments.parameters[%d].valueFrom"
                                                        .formatted(where, i))));
            }
        }
        for (int i = 0; i < args.path("artifacts").size(); i++) {
            JsonNode a = args.path("artifacts").get(i);
            if (!a.has("from") && !a.has("raw")) {
                problems.add(
                        ("%s: dry-run passes artifacts with from: (an earlier step's or an"
                                        + " input's) or raw: data; other locations are not read")
                                .formatted(t.at(where + ".arguments.artifacts[" + i + "]")));
            }
        }
        if (step.has("when") && !step.get("when").asString("").contains("{{")) {
            try {
                WhenCondition.holds(step.get("when").asString());
            } catch (IllegalArgumentException e) {
                problems.add("%s: %s".formatted(t.at(where + ".when"), e.getMessage()));
            }
        }
        ResolvedTemplate target;
        try {
            target = resolver.forStep(t.document(), step, at);
        } catch (InvalidWorkflowException e) {
            problems.addAll(e.problems());
            return;
        }
        Set<String> passed = new HashSet<>();
        args.path("parameters").forEach(p -> passed.add(p.path("name").asString()));
        JsonNode required = target.template().path("inputs").path("parameters");
        for (JsonNode p : required) {
            String name = p.path("name").asString();
            if (!p.has("value") && !p.has("default") && !passed.contains(name)) {
                problems.add(
                        ("%s: step '%s' passes no parameter '%s', which template '%s' requires"
                                        + " (%s)")
                                .formatted(
                                        t.at(where + ".arguments.parameters"),
                                        step.path("name").asString(),
                                        name,
                                        target.name(),
                                        target.at("inputs")));
            }
        }
        Set<String> passedArtifacts = new HashSet<>();
        args.path("artifacts").forEach(a -> passedArtifacts.add(a.path("name").asString()));
        for (JsonNode a : target.template().path("inputs").path("artifacts")) {
            String name = a.path("name").asString();
            boolean located = a.has("raw") || a.has("s3") || a.has("http");
            if (!located
                    && !a.path("optional").asBoolean(false)
                    && !passedArtifacts.contains(name)) {
                problems.add(
                        "%s: step '%s' passes no artifact '%s', which template '%s' requires"
                                .formatted(
                                        t.at(where + ".arguments.artifacts"),
                                        step.path("name").asString(),
                                        name,
                                        target.name()));
            }
        }
        visit(target);
    }

    /** A cycle among task dependencies, as {@code a -> b -> a}, or {@code null}. */
    private static String cycle(Map<String, Set<String>> edges) {
        Map<String, Integer> state = new HashMap<>();
        for (String start : edges.keySet()) {
            List<String> path = new ArrayList<>();
            String found = walk(start, edges, state, path);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String walk(
            String task,
            Map<String, Set<String>> edges,
            Map<String, Integer> state,
            List<String> path) {
        Integer s = state.get(task);
        if (s != null && s == 2) {
            return null;
        }
        if (s != null && s == 1) {
            List<String> loop = new ArrayList<>(path.subList(path.indexOf(task), path.size()));
            loop.add(task);
            return String.join(" -> ", loop);
        }
        state.put(task, 1);
        path.add(task);
        for (String next : edges.getOrDefault(task, Set.of())) {
            if (edges.containsKey(next)) {
                String found = walk(next, edges, state, path);
                if (found != null) {
                    return found;
                }
            }
        }
        path.remove(path.size() - 1);
        state.put(task, 2);
        return null;
    }
}
