package io.argowasm.dryrun;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replaces {@code {{name}}} references with values from a {@link Scope}, as Argo's controller does
 * before a template runs. A reference that names nothing in scope is an error, as in Argo; {@code
 * {{=expression}}} tags are not evaluated by dry-run and are named in the error.
 */
final class Substitution {

    private static final Pattern TAG = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);

    private Substitution() {}

    /** A string with every reference replaced. */
    static String apply(String text, Scope scope) {
        if (text.indexOf("{{") < 0) {
            return text;
        }
        Matcher m = TAG.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(resolve(m.group(1), scope)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A copy of a JSON tree with every string value substituted. */
    static JsonNode apply(JsonNode node, Scope scope) {
        if (node.isString()) {
            return JsonNodeFactory.instance.stringNode(apply(node.asString(), scope));
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                copy.set(field.getKey(), apply(field.getValue(), scope));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            array.forEach(element -> copy.add(apply(element, scope)));
            return copy;
        }
        return node.deepCopy();
    }

    /**
     * The artifact a {@code from: "{{steps.s.outputs.artifacts.a}}"} reference names.
     *
     * @throws UnresolvedVariableException when the text is not one artifact reference in scope
     */
    static ObjectNode artifact(String reference, Scope scope) {
        Matcher m = TAG.matcher(reference.trim());
        if (!m.matches()) {
            throw new UnresolvedVariableException(
                    ("'%s' is not an artifact reference like"
                                    + " {{steps.NAME.outputs.artifacts.NAME}}")
                            .formatted(reference));
        }
        String name = m.group(1).trim();
        return scope.artifact(name)
                .orElseThrow(
                        () ->
                                new UnresolvedVariableException(
                                        ("no artifact {{%s}} in scope: the step or input it names"
                                                        + " did not produce it, or has not run yet")
                                                .formatted(name)));
    }

    private static String resolve(String tag, Scope scope) {
        String name = tag.trim();
        if (name.startsWith("=")) {
            throw new UnresolvedVariableException(
                    ("expression tag {{%s}} is not supported by dry-run; use plain"
                                    + " {{variable}} references")
                            .formatted(tag));
        }
        return scope.parameter(name)
                .orElseThrow(
                        () ->
                                new UnresolvedVariableException(
                                        "cannot resolve {{%s}}: %s".formatted(name, hint(name))));
    }

    private static String hint(String name) {
        if (name.startsWith("steps.") || name.startsWith("tasks.")) {
            return "the step or task it names does not exist here, has not finished, or has no"
                    + " such output";
        }
        if (name.startsWith("inputs.")) {
            return "the template declares no such input";
        }
        if (name.startsWith("workflow.")) {
            return "no such workflow variable or parameter (dry-run knows workflow.name,"
                    + " workflow.namespace, workflow.uid and workflow.parameters.*)";
        }
        if (name.startsWith("item")) {
            return "only steps with withItems or withParam have {{item}}";
        }
        return "dry-run does not know this variable";
    }
}
