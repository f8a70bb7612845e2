package io.argowasm.dryrun;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.argowasm.argo.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Argo's JSON schema (bundled as {@code argo/schema.json}), checking each document against the
 * definition of its kind. Three adjustments make it judge YAML the way Argo's API server does:
 * int-or-string fields take both, parameter values take any scalar (Argo's {@code AnyString}), and
 * Argo's own objects reject unknown fields, so a misspelt key is reported instead of ignored.
 */
public final class ArgoSchema {

    private static final String RESOURCE = "argo/schema.json";
    private static final String ARGO = "io.argoproj.workflow.v1alpha1.";
    private static final Map<String, String> DEFINITION_BY_KIND =
            Map.of("Workflow", ARGO + "Workflow", "WorkflowTemplate", ARGO + "WorkflowTemplate");

    private final Map<String, Schema> byKind;

    private ArgoSchema(Map<String, Schema> byKind) {
        this.byKind = byKind;
    }

    /** The bundled schema; loading it takes a moment, so callers keep the instance. */
    public static ArgoSchema load() {
        ObjectNode root;
        try (InputStream in = ArgoSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the plugin's jar lacks %s".formatted(RESOURCE));
            }
            root = (ObjectNode) Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read %s".formatted(RESOURCE), e);
        }
        ObjectNode definitions = (ObjectNode) root.get("definitions");
        dropKubernetesExtensions(definitions);
        adjust(definitions);
        SchemaRegistry registry =
                SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Map<String, Schema> byKind = new HashMap<>();
        DEFINITION_BY_KIND.forEach(
                (kind, definition) -> {
                    ObjectNode wrapper = Json.mapper().createObjectNode();
                    wrapper.put("$schema", root.path("$schema").asString());
                    wrapper.put("$ref", "#/definitions/" + definition);
                    wrapper.set("definitions", definitions);
                    byKind.put(kind, registry.getSchema(wrapper));
                });
        return new ArgoSchema(byKind);
    }

    /** Problems of one document, each naming the document and the JSON path of the field. */
    public List<String> check(WorkflowDocument document) {
        Schema schema = byKind.get(document.kind());
        if (schema == null) {
            return List.of(
                    "%s: dry-run accepts kind Workflow or WorkflowTemplate, not '%s'"
                            .formatted(document.at("kind"), document.kind()));
        }
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(document.node())) {
            problems.add("%s: %s".formatted(document.at(path(error)), describe(error)));
        }
        return problems;
    }

    /** The field as people write it: {@code spec.templates[0].steps[0][1].template}. */
    private static String path(Error error) {
        StringBuilder path = new StringBuilder();
        for (String segment : error.getInstanceLocation().toString().split("/")) {
            if (segment.isEmpty() || segment.equals("$")) {
                continue;
            }
            String name = segment.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                path.append('[').append(name).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(name);
            }
        }
        if ("additionalProperties".equals(error.getKeyword()) && error.getProperty() != null) {
            path.append(path.length() == 0 ? "" : ".").append(error.getProperty());
        }
        return path.toString();
    }

    private static String describe(Error error) {
        if ("additionalProperties".equals(error.getKeyword())) {
            return "unknown field '%s' (Argo has no such field here)"
                    .formatted(error.getProperty());
        }
        String message = error.getMessage();
        // The validator prefixes its message with the path, which the location already gives.
        int colon = message.indexOf(": ");
        return colon >= 0 && message.startsWith("$") ? message.substring(colon + 2) : message;
    }

    /** Kubernetes' {@code x-kubernetes-*} annotations say nothing to a validator. */
    private static void dropKubernetesExtensions(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.propertyNames().stream()
                    .filter(name -> name.startsWith("x-kubernetes-"))
                    .toList()
                    .forEach(object::remove);
            object.forEach(ArgoSchema::dropKubernetesExtensions);
        } else if (node instanceof ArrayNode array) {
            array.forEach(ArgoSchema::dropKubernetesExtensions);
        }
    }

    private static void adjust(ObjectNode definitions) {
        ObjectNode intOrString =
                definitions.putObject("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        intOrString.putArray("type").add("integer").add("string");
        for (String field : List.of("value", "default")) {
            ObjectNode property =
                    (ObjectNode) definitions.get(ARGO + "Parameter").get("properties").get(field);
            property.remove("type");
            ArrayNode types = property.putArray("type");
            types.add("string").add("number").add("integer").add("boolean");
        }
        ObjectNode valueFromDefault =
                (ObjectNode) definitions.get(ARGO + "ValueFrom").get("properties").get("default");
        valueFromDefault.remove("type");
        valueFromDefault.putArray("type").add("string").add("number").add("integer").add("boolean");
        for (Map.Entry<String, JsonNode> entry : definitions.properties()) {
            if (entry.getKey().startsWith(ARGO)
                    && entry.getValue() instanceof ObjectNode definition
                    && definition.has("properties")
                    && !definition.has("additionalProperties")) {
                definition.put("additionalProperties", false);
            }
        }
    }
}
