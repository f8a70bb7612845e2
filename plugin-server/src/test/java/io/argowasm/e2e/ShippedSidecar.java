package io.argowasm.e2e;

import io.argowasm.exec.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The sidecar as {@code argo-plugin.yaml} ships it, for a child JVM on this machine: the JVM flags
 * of its {@code JAVA_TOOL_OPTIONS}, its {@code serve} flags, and the container's memory limit.
 *
 * @param jvmOptions the manifest's JVM flags, plus {@code -XX:MaxRAM} set to the memory limit so
 *     that {@code -XX:MaxRAMPercentage} sizes the heap as it would inside the container
 * @param serveOptions the container's arguments after {@code serve}, without {@code --port}, which
 *     {@link SidecarProcess} chooses
 * @param environment the container's other environment variables
 * @param memoryLimitBytes {@code resources.limits.memory}: past it, the kernel kills the container
 */
record ShippedSidecar(
        List<String> jvmOptions,
        List<String> serveOptions,
        Map<String, String> environment,
        long memoryLimitBytes) {

    static final Path MANIFEST = Path.of("../argo-plugin.yaml");

    static ShippedSidecar read() throws IOException {
        JsonNode container =
                new YAMLMapper().readTree(Files.readString(MANIFEST)).at("/spec/sidecar/container");
        long limit = Quantity.parseBytes(container.at("/resources/limits/memory").asString());
        List<String> jvm = new ArrayList<>();
        Map<String, String> environment = new java.util.LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asString("");
            if (name.equals("JAVA_TOOL_OPTIONS")) {
                jvm.addAll(Arrays.asList(variable.path("value").asString().trim().split("\\s+")));
            } else {
                environment.put(name, variable.path("value").asString(""));
            }
        }
        if (jvm.isEmpty()) {
            throw new IllegalStateException(MANIFEST + " sets no JAVA_TOOL_OPTIONS");
        }
        jvm.add("-XX:MaxRAM=" + limit);
        List<String> serve = new ArrayList<>();
        JsonNode args = container.path("args");
        if (!args.path(0).asString("").equals("serve")) {
            throw new IllegalStateException(
                    MANIFEST + ": the container's args do not start with serve: " + args);
        }
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).asString().equals("--port")) {
                i++;
            } else {
                serve.add(args.get(i).asString());
            }
        }
        return new ShippedSidecar(
                List.copyOf(jvm), List.copyOf(serve), Map.copyOf(environment), limit);
    }
}
