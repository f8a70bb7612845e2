package io.argowasm.dryrun;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds the template a step or task runs: {@code template: name} among the templates of the
 * document the caller belongs to, or {@code templateRef: {name, template}} in a WorkflowTemplate
 * among the documents given.
 */
final class TemplateResolver {

    private final List<WorkflowDocument> documents;

    TemplateResolver(List<WorkflowDocument> documents) {
        this.documents = documents;
    }

    /** The template named {@code name} in a document's {@code spec.templates}. */
    Optional<ResolvedTemplate> byName(WorkflowDocument document, String name) {
        JsonNode templates = document.node().path("spec").path("templates");
        for (int i = 0; i < templates.size(); i++) {
            if (name.equals(templates.get(i).path("name").asString(null))) {
                return Optional.of(
                        new ResolvedTemplate(
                                document,
                                "spec.templates[" + i + "]",
                                (ObjectNode) templates.get(i)));
            }
        }
        return Optional.empty();
    }

    /** The WorkflowTemplate document of that name. */
    Optional<WorkflowDocument> workflowTemplate(String name) {
        return documents.stream()
                .filter(d -> d.kind().equals("WorkflowTemplate") && d.name().equals(name))
                .findFirst();
    }

    /**
     * The template a step or task refers to.
     *
     * @param caller the document of the template holding the step
     * @param step the step or task
     * @param where the step's location, for messages
     * @throws InvalidWorkflowException when it names no template the documents hold
     */
    ResolvedTemplate forStep(WorkflowDocument caller, JsonNode step, String where) {
        if (step.has("templateRef")) {
            JsonNode ref = step.get("templateRef");
            if (ref.path("clusterScope").asBoolean(false)) {
                throw new InvalidWorkflowException(
                        ("%s.templateRef: ClusterWorkflowTemplates are not supported by dry-run;"
                                        + " copy the template into a WorkflowTemplate document")
                                .formatted(where));
            }
            String resource = ref.path("name").asString("");
            String template = ref.path("template").asString("");
            WorkflowDocument document =
                    workflowTemplate(resource)
                            .orElseThrow(
                                    () ->
                                            new InvalidWorkflowException(
                                                    ("%s.templateRef.name: no WorkflowTemplate"
                                                         + " named '%s' among the documents given;"
                                                         + " pass its file too")
                                                            .formatted(where, resource)));
            return byName(document, template)
                    .orElseThrow(
                            () ->
                                    new InvalidWorkflowException(
                                            ("%s.templateRef.template: WorkflowTemplate '%s' has no"
                                                            + " template named '%s'")
                                                    .formatted(where, resource, template)));
        }
        String name = step.path("template").asString("");
        if (name.isEmpty()) {
            throw new InvalidWorkflowException(
                    "%s: give template (a name) or templateRef (inline is not supported)"
                            .formatted(where));
        }
        return byName(caller, name)
                .orElseThrow(
                        () ->
                                new InvalidWorkflowException(
                                        "%s.template: no template named '%s' in %s (document %s)"
                                                .formatted(
                                                        where,
                                                        name,
                                                        caller.source(),
                                                        caller.index())));
    }
}
