package io.argowasm.manifest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * An executor plugin manifest ({@code kind: ExecutorPlugin}, Argo's {@code spec.Plugin} in
 * pkg/plugins/spec/plugin_types.go), read as strictly as {@code argo executor-plugin build} reads
 * it: unknown and duplicate fields are errors.
 *
 * @param name {@code metadata.name}, the plugin's name
 * @param namespace {@code metadata.namespace}, empty when not set
 * @param labels {@code metadata.labels}
 * @param annotations {@code metadata.annotations}
 * @param automountServiceAccountToken {@code spec.sidecar.automountServiceAccountToken}
 * @param container {@code spec.sidecar.container} as Argo writes it
 */
record ExecutorPluginManifest(
        String name,
        String namespace,
        Map<String, String> labels,
        Map<String, String> annotations,
        boolean automountServiceAccountToken,
        ObjectNode container) {

    static final String KIND = "ExecutorPlugin";

    private static final YAMLMapper YAML =
            YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final Set<String> TOP_LEVEL_FIELDS =
            Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA_FIELDS =
            Set.of(
                    "name",
                    "generateName",
                    "namespace",
                    "selfLink",
                    "uid",
                    "resourceVersion",
                    "generation",
                    "creationTimestamp",
                    "deletionTimestamp",
                    "deletionGracePeriodSeconds",
                    "labels",
                    "annotations",
                    "ownerReferences",
                    "finalizers",
                    "managedFields");
    private static final Set<String> SPEC_FIELDS = Set.of("sidecar");
    private static final Set<String> SIDECAR_FIELDS =
            Set.of("automountServiceAccountToken", "container");

    /**
     * Reads and validates a manifest.
     *
     * @throws InvalidPluginManifestException saying what is wrong and where
     */
    static ExecutorPluginManifest parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            String where =
                    e.getLocation() == null
                            ? ""
                            : " (line %d, column %d)"
                                    .formatted(
                                            e.getLocation().getLineNr(),
                                            e.getLocation().getColumnNr());
            throw new InvalidPluginManifestException(
                    "the manifest is not valid YAML: %s%s"
                            .formatted(e.getOriginalMessage(), where));
        }
        JsonNode plugin = object(root, "the manifest", TOP_LEVEL_FIELDS);
        String kind = plugin.path("kind").asString("");
        if (!kind.equals(KIND)) {
            throw new InvalidPluginManifestException(
                    "kind is '%s'; an executor plugin manifest has kind: %s (the controller only loads ConfigMaps labelled with it)"
                            .formatted(kind, KIND));
        }
        JsonNode metadata = object(plugin.get("metadata"), "metadata", METADATA_FIELDS);
        String name = metadata.path("name").asString("");
        if (name.isEmpty()) {
            throw new InvalidPluginManifestException(
                    "metadata.name is missing: it names the plugin, its ConfigMap"
                            + " (<name>-executor-plugin) and the key of plugin templates");
        }
        JsonNode spec = object(plugin.get("spec"), "spec", SPEC_FIELDS);
        JsonNode sidecar = object(spec.get("sidecar"), "spec.sidecar", SIDECAR_FIELDS);
        JsonNode automount = sidecar.path("automountServiceAccountToken");
        if (!automount.isMissingNode() && !automount.isNull() && !automount.isBoolean()) {
            throw new InvalidPluginManifestException(
                    "spec.sidecar.automountServiceAccountToken must be true or false, not %s"
                            .formatted(automount));
        }
        return new ExecutorPluginManifest(
                name,
                metadata.path("namespace").asString(""),
                strings(metadata.get("labels"), "metadata.labels"),
                strings(metadata.get("annotations"), "metadata.annotations"),
                automount.asBoolean(false),
                SidecarContainer.of(sidecar.get("container")));
    }

    private static JsonNode object(JsonNode node, String path, Set<String> fields) {
        if (node == null || !node.isObject()) {
            throw new InvalidPluginManifestException("%s must be an object".formatted(path));
        }
        for (String field : node.propertyNames()) {
            if (!fields.contains(field)) {
                throw new InvalidPluginManifestException(
                        "%s has an unknown field '%s'; it has: %s"
                                .formatted(path, field, new TreeSet<>(fields)));
            }
        }
        return node;
    }

    private static Map<String, String> strings(JsonNode node, String path) {
        Map<String, String> strings = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return strings;
        }
        if (!node.isObject()) {
            throw new InvalidPluginManifestException("%s must map keys to strings".formatted(path));
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isString()) {
                throw new InvalidPluginManifestException(
                        "%s.%s must be a string; quote the value %s"
                                .formatted(path, entry.getKey(), entry.getValue()));
            }
            strings.put(entry.getKey(), entry.getValue().stringValue());
        }
        return strings;
    }
}
