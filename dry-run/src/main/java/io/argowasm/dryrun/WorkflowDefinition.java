package io.argowasm.dryrun;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The workflow a dry run executes, chosen among the documents given: the one Workflow (following
 * its {@code workflowTemplateRef}), or else the one WorkflowTemplate, as {@code argo submit --from}
 * would run it. Holds its identity, entrypoint and global parameters.
 *
 * @param submitted the document submitted (Workflow or WorkflowTemplate)
 * @param templates the document whose {@code spec.templates} the entrypoint is found in
 * @param parameters the global parameters, {@code -p} over the parameter file over the spec
 */
public record WorkflowDefinition(
        WorkflowDocument submitted,
        WorkflowDocument templates,
        String name,
        String namespace,
        String uid,
        String entrypoint,
        Map<String, String> parameters,
        int parallelism) {

    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Chooses the workflow and settles its arguments.
     *
     * @param given values from {@code -p} and the parameter file, the former winning
     * @param entrypoint {@code --entrypoint}, or {@code null}
     * @throws InvalidWorkflowException naming the document and field of every problem found
     */
    public static WorkflowDefinition choose(
            List<WorkflowDocument> documents,
            Map<String, String> given,
            String entrypoint,
            String namespace) {
        WorkflowDocument submitted = submitted(documents);
        WorkflowDocument templates = submitted;
        JsonNode ref = submitted.node().path("spec").path("workflowTemplateRef");
        if (!ref.isMissingNode()) {
            String refName = ref.path("name").asString("");
            if (ref.path("clusterScope").asBoolean(false)) {
                throw new InvalidWorkflowException(
                        "%s: ClusterWorkflowTemplates are not supported by dry-run"
                                .formatted(submitted.at("spec.workflowTemplateRef.clusterScope")));
            }
            templates =
                    new TemplateResolver(documents)
                            .workflowTemplate(refName)
                            .orElseThrow(
                                    () ->
                                            new InvalidWorkflowException(
                                                    ("%s: no WorkflowTemplate named '%s' among the"
                                                         + " documents given; pass its file too")
                                                            .formatted(
                                                                    submitted.at(
                                                                            "spec.workflowTemplateRef.name"),
                                                                    refName)));
        }
        String chosenEntrypoint = entrypoint;
        String entrypointField = DryRunFlags.ENTRYPOINT;
        if (chosenEntrypoint == null) {
            chosenEntrypoint = submitted.node().path("spec").path("entrypoint").asString(null);
            entrypointField = submitted.at("spec.entrypoint");
        }
        if (chosenEntrypoint == null && templates != submitted) {
            chosenEntrypoint = templates.node().path("spec").path("entrypoint").asString(null);
            entrypointField = templates.at("spec.entrypoint");
        }
        if (chosenEntrypoint == null || chosenEntrypoint.isEmpty()) {
            throw new InvalidWorkflowException(
                    "%s: the workflow has no entrypoint; set spec.entrypoint or pass %s"
                            .formatted(submitted.at("spec.entrypoint"), DryRunFlags.ENTRYPOINT));
        }
        if (new TemplateResolver(documents).byName(templates, chosenEntrypoint).isEmpty()) {
            throw new InvalidWorkflowException(
                    "%s: no template named '%s'".formatted(entrypointField, chosenEntrypoint));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (templates != submitted) {
            collect(templates, Map.of(), parameters, problems, false);
        }
        collect(submitted, given, parameters, problems, true);
        given.forEach(parameters::putIfAbsent);
        if (!problems.isEmpty()) {
            throw new InvalidWorkflowException(problems);
        }
        int parallelism = submitted.node().path("spec").path("parallelism").asInt(0);
        return new WorkflowDefinition(
                submitted,
                templates,
                workflowName(submitted),
                namespace,
                UUID.randomUUID().toString(),
                chosenEntrypoint,
                parameters,
                parallelism);
    }

    private static WorkflowDocument submitted(List<WorkflowDocument> documents) {
        List<WorkflowDocument> workflows =
                documents.stream().filter(d -> d.kind().equals("Workflow")).toList();
        List<WorkflowDocument> workflowTemplates =
                documents.stream().filter(d -> d.kind().equals("WorkflowTemplate")).toList();
        if (workflows.size() == 1) {
            return workflows.get(0);
        }
        if (workflows.size() > 1) {
            throw new InvalidWorkflowException(
                    ("the documents hold %s Workflows (%s); dry-run runs one: give each its"
                                    + " own file")
                            .formatted(
                                    workflows.size(),
                                    String.join(
                                            ", ", workflows.stream().map(d -> d.at("")).toList())));
        }
        if (workflowTemplates.size() == 1) {
            return workflowTemplates.get(0);
        }
        throw new InvalidWorkflowException(
                workflowTemplates.isEmpty()
                        ? "the documents hold no Workflow or WorkflowTemplate"
                        : ("the documents hold no Workflow and %s WorkflowTemplates: add a Workflow"
                                        + " whose spec.workflowTemplateRef names the one to run")
                                .formatted(workflowTemplates.size()));
    }

    private static void collect(
            WorkflowDocument document,
            Map<String, String> given,
            Map<String, String> parameters,
            List<String> problems,
            boolean requireValues) {
        JsonNode declared = document.node().path("spec").path("arguments").path("parameters");
        for (int i = 0; i < declared.size(); i++) {
            JsonNode p = declared.get(i);
            String field = "spec.arguments.parameters[" + i + "]";
            String name = p.path("name").asString("");
            String value = given.get(name);
            if (value == null && p.has("value")) {
                value = Scalars.text(p.get("value"));
            }
            if (value == null && p.has("default")) {
                value = Scalars.text(p.get("default"));
            }
            if (value == null && p.has("valueFrom")) {
                problems.add(
                        ("%s: workflow parameter '%s' takes its value from the cluster, which"
                                        + " dry-run cannot read; pass %s %s=VALUE")
                                .formatted(
                                        document.at(field + ".valueFrom"),
                                        name,
                                        DryRunFlags.PARAMETER,
                                        name));
                continue;
            }
            if (value == null) {
                value = parameters.get(name);
            }
            if (value == null) {
                if (requireValues) {
                    problems.add(
                            ("%s: workflow parameter '%s' has no value; pass %s %s=VALUE or add it"
                                            + " to the parameter file")
                                    .formatted(
                                            document.at(field), name, DryRunFlags.PARAMETER, name));
                }
                continue;
            }
            if (p.has("enum") && !contains(p.get("enum"), value)) {
                problems.add(
                        "%s: workflow parameter '%s' is '%s', not one of %s"
                                .formatted(
                                        document.at(field + ".enum"), name, value, p.get("enum")));
                continue;
            }
            parameters.put(name, value);
        }
    }

    private static boolean contains(JsonNode values, String value) {
        for (JsonNode v : values) {
            if (value.equals(Scalars.text(v))) {
                return true;
            }
        }
        return false;
    }

    private static String workflowName(WorkflowDocument submitted) {
        String name = submitted.node().path("metadata").path("name").asString("");
        if (!name.isEmpty() && submitted.kind().equals("Workflow")) {
            return name;
        }
        String prefix = submitted.node().path("metadata").path("generateName").asString("");
        if (prefix.isEmpty()) {
            prefix = name.isEmpty() ? "workflow-" : name + "-";
        }
        StringBuilder generated = new StringBuilder(prefix);
        for (int i = 0; i < 5; i++) {
            generated.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
        }
        return generated.toString();
    }
}
