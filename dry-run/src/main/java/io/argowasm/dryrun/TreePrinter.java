package io.argowasm.dryrun;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The end-of-run summary in the shape of {@code argo get}: the workflow's name, status and
 * parameters, then the node tree (step groups folded away, as Argo shows them) with STEP, TEMPLATE,
 * DURATION and MESSAGE columns, each node followed by its output parameters and artifacts.
 */
public final class TreePrinter {

    private final LocalArtifactStore store;

    public TreePrinter(LocalArtifactStore store) {
        this.store = store;
    }

    public void print(DryRunResult result, PrintWriter out) {
        Node root = result.tree().root();
        WorkflowDefinition wf = result.workflow();
        out.println(row("Name:", wf.name()));
        out.println(row("Namespace:", wf.namespace()));
        out.println(row("Status:", root.phase().name()));
        if (!root.message().isEmpty()) {
            out.println(row("Message:", root.message()));
        }
        out.println(row("Duration:", Durations.format(root.duration())));
        if (!wf.parameters().isEmpty()) {
            out.println("Parameters:");
            wf.parameters().forEach((k, v) -> out.println(row("  %s:".formatted(k), v)));
        }
        out.println();
        List<Line> lines = new ArrayList<>();
        collect(root, " ", "", lines);
        int stepWidth = "STEP".length();
        int templateWidth = "TEMPLATE".length();
        int durationWidth = "DURATION".length();
        for (Line line : lines) {
            if (line.node != null) {
                stepWidth = Math.max(stepWidth, line.step.length());
                templateWidth = Math.max(templateWidth, line.node.templateName().length());
                durationWidth =
                        Math.max(durationWidth, Durations.format(line.node.duration()).length());
            }
        }
        String format =
                "%-" + stepWidth + "s  %-" + templateWidth + "s  %-" + durationWidth + "s  %s";
        out.println(
                String.format(format, "STEP", "TEMPLATE", "DURATION", "MESSAGE").stripTrailing());
        for (Line line : lines) {
            if (line.node == null) {
                out.println(line.step);
            } else {
                out.println(
                        String.format(
                                        format,
                                        line.step,
                                        line.node.templateName(),
                                        Durations.format(line.node.duration()),
                                        line.node.message())
                                .stripTrailing());
            }
        }
        out.flush();
    }

    private static String row(String label, String value) {
        return String.format("%-20s %s", label, value);
    }

    private void collect(Node node, String prefix, String childPrefix, List<Line> lines) {
        lines.add(new Line(prefix + Symbols.of(node.phase()) + " " + node.displayName(), node));
        List<Node> children = visibleChildren(node);
        String detailPrefix = childPrefix + (children.isEmpty() ? "   " : " │ ");
        for (Map.Entry<String, String> p : node.outputParameters().entrySet()) {
            lines.add(
                    new Line(
                            "%s  ↳ %s = %s"
                                    .formatted(detailPrefix, p.getKey(), oneLine(p.getValue())),
                            null));
        }
        for (ObjectNode artifact : node.outputArtifacts()) {
            lines.add(
                    new Line(
                            "%s  ↳ artifact %s".formatted(detailPrefix, describe(artifact)), null));
        }
        for (int i = 0; i < children.size(); i++) {
            boolean isLast = i == children.size() - 1;
            collect(
                    children.get(i),
                    childPrefix + (isLast ? " └─" : " ├─"),
                    childPrefix + (isLast ? "   " : " │ "),
                    lines);
        }
    }

    private String describe(ObjectNode artifact) {
        String name = artifact.path("name").asString();
        String key = artifact.path("s3").path("key").asString("");
        if (key.isEmpty()) {
            return name;
        }
        return "%s = %s".formatted(name, store.fileOf(key));
    }

    /** Step groups are folded into their parent, as argo get shows steps. */
    private static List<Node> visibleChildren(Node node) {
        List<Node> visible = new ArrayList<>();
        for (Node child : node.children()) {
            if (child.type() == NodeType.StepGroup) {
                visible.addAll(visibleChildren(child));
            } else {
                visible.add(child);
            }
        }
        return visible;
    }

    private static String oneLine(String value) {
        String flat = value.replace("\n", "\\n");
        return flat.length() > 200 ? flat.substring(0, 197) + "..." : flat;
    }

    private record Line(String step, Node node) {}
}
