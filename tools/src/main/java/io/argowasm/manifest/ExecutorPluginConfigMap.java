package io.argowasm.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the executor plugin manifest into the ConfigMap Argo's controller loads plugins from,
 * writing the same file as {@code argo executor-plugin build}: {@code plugin.ToConfigMap} in
 * workflow/util/plugin/configmap.go, saved by cmd/argo/commands/executorplugin/io.go.
 *
 * <p>Run at build time: {@code ExecutorPluginConfigMap <manifest> <output file>}.
 */
public final class ExecutorPluginConfigMap {

    static final String HEADER = "# This is an auto-generated file. DO NOT EDIT\n";
    static final String CONFIG_MAP_TYPE_LABEL = "workflows.argoproj.io/configmap-type";
    static final String AUTOMOUNT_KEY = "sidecar.automountServiceAccountToken";
    static final String CONTAINER_KEY = "sidecar.container";

    private ExecutorPluginConfigMap() {}

    /**
     * The ConfigMap file for a manifest.
     *
     * @throws InvalidPluginManifestException when Argo would refuse the manifest
     */
    public static String render(String manifestYaml) {
        ExecutorPluginManifest plugin = ExecutorPluginManifest.parse(manifestYaml);
        JsonNodeFactory json = JsonNodeFactory.instance;

        ObjectNode labels =
                json.objectNode().put(CONFIG_MAP_TYPE_LABEL, ExecutorPluginManifest.KIND);
        plugin.labels().forEach(labels::put);
        ObjectNode metadata = json.objectNode().put("name", plugin.name() + "-executor-plugin");
        if (!plugin.namespace().isEmpty()) {
            metadata.put("namespace", plugin.namespace());
        }
        metadata.set("labels", labels);
        if (!plugin.annotations().isEmpty()) {
            ObjectNode annotations = metadata.putObject("annotations");
            plugin.annotations().forEach(annotations::put);
        }

        ObjectNode configMap = json.objectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        configMap.set("metadata", metadata);
        configMap
                .putObject("data")
                .put(AUTOMOUNT_KEY, Boolean.toString(plugin.automountServiceAccountToken()))
                .put(CONTAINER_KEY, yaml(plugin.container(), "spec.sidecar.container."));
        return HEADER + yaml(configMap, "");
    }

    private static String yaml(ObjectNode tree, String pathInManifest) {
        try {
            return KubernetesYaml.write(tree);
        } catch (IllegalArgumentException e) {
            throw new InvalidPluginManifestException(pathInManifest + e.getMessage());
        }
    }

    /**
     * Writes the ConfigMap for a manifest file.
     *
     * @param args the manifest ({@code argo-plugin.yaml}) and the file to write
     * @throws InvalidPluginManifestException when Argo would refuse the manifest, which fails the
     *     build with its message
     */
    public static void main(String[] args) throws IOException {
        write(args, "ExecutorPluginConfigMap", ExecutorPluginConfigMap::render);
    }

    /**
     * The build's entry point for a generator of ConfigMap files: reads the manifest, renders it
     * and writes the result, naming the manifest in any refusal.
     *
     * @param args the manifest and the file to write
     * @param generator the generator's name, for the usage message
     */
    static void write(String[] args, String generator, UnaryOperator<String> render)
            throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException(
                    "usage: %s <manifest, e.g. argo-plugin.yaml> <ConfigMap file to write>"
                            .formatted(generator));
        }
        Path manifest = Path.of(args[0]).toAbsolutePath().normalize();
        Path output = Path.of(args[1]);
        String configMap;
        try {
            configMap = render.apply(Files.readString(manifest));
        } catch (InvalidPluginManifestException e) {
            throw new InvalidPluginManifestException("%s: %s".formatted(manifest, e.getMessage()));
        }
        if (output.getParent() != null) {
            Files.createDirectories(output.getParent());
        }
        Files.writeString(output, configMap);
    }
}
