package io.argowasm.dryrun;

import tools.jackson.databind.node.ObjectNode;

/**
 * A template found by name: the document holding it (whose other templates its steps refer to), its
 * path there, and its definition.
 */
record ResolvedTemplate(WorkflowDocument document, String path, ObjectNode template) {

    String name() {
        return template.path("name").asString();
    }

    TemplateKind kind() {
        return TemplateKind.of(template).get(0);
    }

    String at(String field) {
        return document.at(field.isEmpty() ? path : path + "." + field);
    }
}
