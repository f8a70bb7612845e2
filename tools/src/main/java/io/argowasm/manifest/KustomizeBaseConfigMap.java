package io.argowasm.manifest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The plugin's ConfigMap as the kustomize base in {@code manifests/} holds it: the ConfigMap of
 * {@link ExecutorPluginConfigMap} with the sidecar's {@code image:} line moved to the end of {@code
 * sidecar.container}. Kustomize's image transformer cannot reach an image inside a string, so
 * {@code manifests/kustomization.yaml} copies the image in with a replacement that splits that text
 * at {@code "image: "} and replaces what follows, which must then be the image alone.
 *
 * <p>Run at build time: {@code KustomizeBaseConfigMap <manifest> <output file>}.
 */
public final class KustomizeBaseConfigMap {

    static final String HEADER =
            """
            # This is an auto-generated file. DO NOT EDIT
            # The ConfigMap of ../wasm-executor-plugin-configmap.yaml with the image line last, where
            # kustomization.yaml's replacement sets it.
            """;
    static final String IMAGE_PREFIX = "image: ";

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private KustomizeBaseConfigMap() {}

    /**
     * The kustomize base's ConfigMap for a manifest.
     *
     * @throws InvalidPluginManifestException when Argo would refuse the manifest
     */
    public static String render(String manifestYaml) {
        String generated = ExecutorPluginConfigMap.render(manifestYaml);
        ObjectNode configMap =
                (ObjectNode)
                        YAML.readTree(generated.substring(ExecutorPluginConfigMap.HEADER.length()));
        ObjectNode data = (ObjectNode) configMap.get("data");
        String container = data.get(ExecutorPluginConfigMap.CONTAINER_KEY).asString();
        List<String> lines = new ArrayList<>(container.lines().toList());
        List<String> images = lines.stream().filter(l -> l.startsWith(IMAGE_PREFIX)).toList();
        if (images.size() != 1) {
            throw new InvalidPluginManifestException(
                    "spec.sidecar.container.image: give exactly one image; kustomize sets it");
        }
        lines.remove(images.get(0));
        lines.add(images.get(0));
        data.put(ExecutorPluginConfigMap.CONTAINER_KEY, String.join("\n", lines) + "\n");
        return HEADER + KubernetesYaml.write(configMap);
    }

    /**
     * Writes the kustomize base's ConfigMap for a manifest file.
     *
     * @param args the manifest ({@code argo-plugin.yaml}) and the file to write
     */
    public static void main(String[] args) throws IOException {
        ExecutorPluginConfigMap.write(
                args, "KustomizeBaseConfigMap", KustomizeBaseConfigMap::render);
    }
}
