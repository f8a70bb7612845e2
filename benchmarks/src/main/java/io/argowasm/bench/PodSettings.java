package io.argowasm.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The sidecar's JVM settings as the executor plugin manifest gives them to the pod, so the
 * benchmarks run the sidecar as a cluster would: the manifest's environment ({@code
 * JAVA_TOOL_OPTIONS}, {@code MALLOC_ARENA_MAX}), and a {@code -XX:MaxRAM} equal to the container's
 * memory limit, which the JVM would read from its cgroup there.
 *
 * @param environment the container's {@code env} values, {@code JAVA_TOOL_OPTIONS} among them
 */
record PodSettings(Map<String, String> environment, String memoryLimit) {

    private static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
    private static final Pattern RAM_PERCENTAGE = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)");

    PodSettings {
        environment = Map.copyOf(environment);
    }

    static PodSettings fromManifest(Path manifest) {
        JsonNode container =
                new YAMLMapper()
                        .readTree(manifest.toFile())
                        .path("spec")
                        .path("sidecar")
                        .path("container");
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode env : container.path("env")) {
            environment.put(env.path("name").asString(), env.path("value").asString());
        }
        String memory = container.path("resources").path("limits").path("memory").asString();
        if (!environment.containsKey(JAVA_TOOL_OPTIONS) || memory.isEmpty()) {
            throw new IllegalStateException(
                    manifest + " has no JAVA_TOOL_OPTIONS or memory limit for the sidecar");
        }
        return new PodSettings(environment, memory);
    }

    String javaToolOptions() {
        return environment.get(JAVA_TOOL_OPTIONS);
    }

    /** The same pod with more JVM options after the manifest's; later options win. */
    PodSettings withMoreOptions(String options) {
        Map<String, String> more = new LinkedHashMap<>(environment);
        more.put(JAVA_TOOL_OPTIONS, (javaToolOptions() + " " + options).strip());
        return new PodSettings(more, memoryLimit);
    }

    /** The share of the memory limit the heap may take, e.g. "60 %", or the JVM's default. */
    String heapShare() {
        Matcher percentage = RAM_PERCENTAGE.matcher(javaToolOptions());
        String share = "25";
        while (percentage.find()) {
            share = percentage.group(1);
        }
        return share + " %";
    }

    /** The JVM's spelling of the memory limit, e.g. 512Mi as 512m. */
    String maxRamFlag() {
        String amount = memoryLimit.replace("Gi", "g").replace("Mi", "m").replace("Ki", "k");
        return "-XX:MaxRAM=" + amount;
    }

    /** The environment besides {@code JAVA_TOOL_OPTIONS}, as {@code NAME=value} words. */
    String otherEnvironment() {
        return String.join(
                " ",
                environment.entrySet().stream()
                        .filter(e -> !e.getKey().equals(JAVA_TOOL_OPTIONS))
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList());
    }
}
