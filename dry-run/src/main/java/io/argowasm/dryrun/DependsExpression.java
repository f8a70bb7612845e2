package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A DAG task's {@code depends} (or its {@code dependencies}, which mean all of them succeeded):
 * task names, optionally with a result ({@code A.Succeeded}, {@code .Failed}, {@code .Errored},
 * {@code .Skipped}, {@code .Omitted}, {@code .Daemoned}, {@code .AnySucceeded}, {@code
 * .AllFailed}), combined with {@code && || !} and parentheses. A bare name means {@code A.Succeeded
 * || A.Skipped || A.Daemoned}, as in Argo.
 */
final class DependsExpression {

    private static final Set<String> RESULTS =
            Set.of(
                    "Succeeded",
                    "Failed",
                    "Errored",
                    "Skipped",
                    "Omitted",
                    "Daemoned",
                    "AnySucceeded",
                    "AllFailed");

    private final String text;
    private final List<String> tokens;
    private final Set<String> tasks = new LinkedHashSet<>();
    private final Set<String> failureHandlers = new LinkedHashSet<>();
    private int position;
    private Function<String, TaskOutcome> outcomes;

    private DependsExpression(String text) {
        this.text = text;
        this.tokens = tokenize(text);
    }

    /** How a finished task ended: its phase, and the phases of its items when it had some. */
    record TaskOutcome(NodePhase phase, List<NodePhase> items) {}

    /**
     * Parses an expression.
     *
     * @throws IllegalArgumentException naming the expression when it is not one dry-run reads
     */
    static DependsExpression parse(String depends) {
        DependsExpression expression = new DependsExpression(depends);
        expression.outcomes = name -> new TaskOutcome(NodePhase.Succeeded, List.of());
        expression.or();
        if (expression.position != expression.tokens.size()) {
            throw expression.error(
                    "unexpected '%s'".formatted(expression.tokens.get(expression.position)));
        }
        return expression;
    }

    /** The {@code dependencies} list as an expression. */
    static DependsExpression allOf(List<String> dependencies) {
        return parse(String.join(" && ", dependencies));
    }

    /** The task's {@code depends}, or its {@code dependencies} as one, or {@code null}. */
    static DependsExpression ofTask(JsonNode task) {
        if (task.has("depends")) {
            return parse(task.get("depends").asString());
        }
        if (task.has("dependencies") && !task.get("dependencies").isEmpty()) {
            List<String> names = new ArrayList<>();
            task.get("dependencies").forEach(d -> names.add(d.asString()));
            return allOf(names);
        }
        return null;
    }

    /** The tasks it names. */
    Set<String> tasks() {
        return tasks;
    }

    /** The tasks whose failure it looks at ({@code A.Failed} ...): their failure is handled. */
    Set<String> failureHandlers() {
        return failureHandlers;
    }

    /** Whether it holds, once every task it names has finished. */
    boolean holds(Map<String, TaskOutcome> finished) {
        position = 0;
        outcomes = finished::get;
        return or();
    }

    private boolean or() {
        boolean value = and();
        while (accept("||")) {
            value |= and();
        }
        return value;
    }

    private boolean and() {
        boolean value = not();
        while (accept("&&")) {
            value &= not();
        }
        return value;
    }

    private boolean not() {
        if (accept("!")) {
            return !not();
        }
        return primary();
    }

    private boolean primary() {
        if (accept("(")) {
            boolean value = or();
            if (!accept(")")) {
                throw error("a '(' is not closed");
            }
            return value;
        }
        if (position >= tokens.size()) {
            throw error("it ends too early");
        }
        String token = tokens.get(position++);
        if (!token.matches("[A-Za-z0-9_][A-Za-z0-9_.\\-]*")) {
            throw error("unexpected '%s'".formatted(token));
        }
        String task = token;
        String result = null;
        int dot = token.lastIndexOf('.');
        if (dot > 0 && RESULTS.contains(token.substring(dot + 1))) {
            task = token.substring(0, dot);
            result = token.substring(dot + 1);
        } else if (dot > 0) {
            throw error(
                    "'%s' is not a task result; use one of %s"
                            .formatted(
                                    token.substring(dot + 1),
                                    String.join(", ", new TreeSet<>(RESULTS))));
        }
        tasks.add(task);
        if (result != null
                && (result.equals("Failed")
                        || result.equals("Errored")
                        || result.equals("AllFailed"))) {
            failureHandlers.add(task);
        }
        TaskOutcome outcome = outcomes.apply(task);
        if (outcome == null) {
            return false;
        }
        NodePhase phase = outcome.phase();
        if (result == null) {
            return phase == NodePhase.Succeeded || phase == NodePhase.Skipped;
        }
        return switch (result) {
            case "Succeeded" -> phase == NodePhase.Succeeded;
            case "Failed" -> phase == NodePhase.Failed;
            case "Errored" -> phase == NodePhase.Error;
            case "Skipped" -> phase == NodePhase.Skipped;
            case "Omitted" -> phase == NodePhase.Omitted;
            case "Daemoned" -> false;
            case "AnySucceeded" -> outcome.items().stream().anyMatch(p -> p == NodePhase.Succeeded);
            default ->
                    !outcome.items().isEmpty()
                            && outcome.items().stream().allMatch(p -> p == NodePhase.Failed);
        };
    }

    private boolean accept(String token) {
        if (position < tokens.size() && tokens.get(position).equals(token)) {
            position++;
            return true;
        }
        return false;
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException(
                ("cannot read depends '%s': %s (dry-run reads task names with optional"
                                + " .Result, && || ! and parentheses)")
                        .formatted(text, why));
    }

    private static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("&&", i) || text.startsWith("||", i)) {
                out.add(text.substring(i, i + 2));
                i += 2;
            } else if (c == '!' || c == '(' || c == ')') {
                out.add(String.valueOf(c));
                i++;
            } else {
                int start = i;
                while (i < text.length()
                        && !Character.isWhitespace(text.charAt(i))
                        && "!()&|".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                if (start == i) {
                    out.add(String.valueOf(c));
                    i++;
                } else {
                    out.add(text.substring(start, i));
                }
            }
        }
        return out;
    }
}
