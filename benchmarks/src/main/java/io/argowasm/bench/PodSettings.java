package io.argowasm.bench;

import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The sidecar's JVM settings as the executor plugin manifest gives them to the pod, so the
 * benchmarks run the sidecar as a cluster would: the manifest's {@code JAVA_TOOL_OPTIONS}, and a
 * {@code -XX:MaxRAM} equal to the container's memory limit, which the JVM would read from its
 * cgroup there.
 */
record PodSettings(String javaToolOptions, String memoryLimit) {

    static PodSettings fromManifest(Path manifest) {
        JsonNode container =
                new YAMLMapper()
                        .readTree(manifest.toFile())
                        .path("spec")
                        .path("sidecar")
                        .path("container");
        String options = null;
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asString().equals("JAVA_TOOL_OPTIONS")) {
                options = env.path("value").asString();
            }
        }
        String memory = container.path("resources").path("limits").path("memory").asString();
        if (options == null || memory.isEmpty()) {
            throw new IllegalStateException(
                    manifest + " has no JAVA_TOOL_OPTIONS or memory limit for the sidecar");
        }
        return new PodSettings(options, memory);
    }

    /** The JVM's spelling of the memory limit, e.g. 512Mi as 512m. */
    String maxRamFlag() {
        String amount = memoryLimit.replace("Gi", "g").replace("Mi", "m").replace("Ki", "k");
        return "-XX:MaxRAM=" + amount;
    }
}
