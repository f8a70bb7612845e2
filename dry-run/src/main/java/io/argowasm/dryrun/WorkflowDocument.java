package io.argowasm.dryrun;

import tools.jackson.databind.node.ObjectNode;

/**
 * One YAML document of the files a dry run reads.
 *
 * @param source the file name (or bundled resource) it came from
 * @param index its 1-based position in that file
 * @param node the document
 */
public record WorkflowDocument(String source, int index, ObjectNode node) {

    public String kind() {
        return node.path("kind").asString("");
    }

    /** {@code metadata.name}, else {@code metadata.generateName}, else empty. */
    public String name() {
        String name = node.path("metadata").path("name").asString("");
        return name.isEmpty() ? node.path("metadata").path("generateName").asString("") : name;
    }

    /** How error messages point at a field: {@code hello.yaml, document 1 (Workflow), at spec}. */
    public String at(String path) {
        String what =
                kind().isEmpty()
                        ? ""
                        : " (%s%s)"
                                .formatted(
                                        kind(), (name().isEmpty() ? "" : " %s".formatted(name())));
        return "%s, document %s%s%s"
                .formatted(source, index, what, (path.isEmpty() ? "" : ", at %s".formatted(path)));
    }
}
