package io.argowasm.exec;

import io.argowasm.argo.Artifact;
import io.argowasm.argo.Parameter;
import io.argowasm.argo.Template;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The earlier WASI plugin's contract, to the letter of its {@code workflow-model} crate: the guest
 * reads a {@code PluginInvocation} from {@code /work/input.json} and writes a {@code PluginResult}
 * to {@code /work/result.json}; input artifacts lie at {@code /work/artifacts-in/<path>}, output
 * artifacts are taken from {@code /work/artifacts-out/<path>} (the path without its leading slash).
 */
final class FileContract {

    static final String INPUT = "input.json";
    static final String RESULT = "result.json";
    static final String ARTIFACTS_IN = "artifacts-in";
    static final String ARTIFACTS_OUT = "artifacts-out";

    /**
     * A {@code PluginResult}.
     *
     * @param artifactPaths the {@code path} of each output artifact listed, by name
     */
    record Result(
            boolean succeeded,
            String message,
            Map<String, String> parameters,
            Map<String, String> artifactPaths) {}

    private FileContract() {}

    /**
     * The {@code PluginInvocation}: {@code workflow_name}, {@code plugin_options} (the template's
     * {@code options}, which the earlier plugin took from the other keys of {@code plugin.wasm}),
     * {@code parameters} and {@code artifacts}, each a list of {@code {name, value}} or {@code
     * {name, path[, s3: {key}]}}.
     */
    static byte[] input(JsonMapper json, StepContext step, Template template, WasmPluginSpec spec) {
        ObjectNode invocation = json.createObjectNode();
        invocation.put("workflow_name", step.workflow());
        ArrayNode options = invocation.putArray("plugin_options");
        for (Map.Entry<String, JsonNode> option : spec.options().properties()) {
            options.addObject().put("name", option.getKey()).set("value", option.getValue());
        }
        ArrayNode parameters = invocation.putArray("parameters");
        for (Parameter p : template.inputsOrEmpty().parameters()) {
            String value = p.value() != null ? p.value() : p.defaultValue();
            if (p.name() != null && value != null) {
                parameters.addObject().put("name", p.name()).put("value", value);
            }
        }
        ArrayNode artifacts = invocation.putArray("artifacts");
        for (Artifact a : template.inputsOrEmpty().artifacts()) {
            ObjectNode ref = artifacts.addObject().put("name", a.getName());
            ref.put("path", a.getPath() != null ? a.getPath() : a.getName());
            JsonNode key = json.<JsonNode>valueToTree(a).path("s3").path("key");
            if (key.isString()) {
                ref.putObject("s3").put("key", key.asString());
            }
        }
        return json.writeValueAsBytes(invocation);
    }

    /** Where an artifact's file lies below its area: its path without the leading slash. */
    static String workingDirPath(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /**
     * Reads a {@code PluginResult}: {@code phase} ({@code Succeeded} or {@code Failed}), {@code
     * message} and {@code outputs} are required; {@code outputs.parameters} and {@code
     * outputs.artifacts} may be left out, as the crate's published schema allows.
     */
    static Result parse(JsonMapper json, byte[] bytes) throws StepFailure {
        String shape =
                "; it must hold {\"phase\":\"Succeeded\",\"message\":\"...\",\"outputs\":"
                        + "{\"artifacts\":[],\"parameters\":[{\"name\":\"...\",\"value\":...}]}}";
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (JacksonException e) {
            throw new StepFailure(
                    "/work/result.json is not JSON (%s)%s"
                            .formatted(e.getOriginalMessage(), shape));
        }
        if (root == null || !root.isObject()) {
            throw new StepFailure("/work/result.json is not a JSON object%s".formatted(shape));
        }
        JsonNode phase = root.get("phase");
        if (phase == null
                || !phase.isString()
                || !(phase.asString().equals("Succeeded") || phase.asString().equals("Failed"))) {
            throw new StepFailure(
                    "/work/result.json has no phase of Succeeded or Failed%s".formatted(shape));
        }
        JsonNode message = root.get("message");
        if (message == null || !message.isString()) {
            throw new StepFailure("/work/result.json has no message string%s".formatted(shape));
        }
        JsonNode outputs = root.get("outputs");
        if (outputs == null || !outputs.isObject()) {
            throw new StepFailure("/work/result.json has no outputs object%s".formatted(shape));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (JsonNode p : list(outputs, "parameters", shape)) {
            JsonNode value = p.get("value");
            parameters.put(
                    name(p, "parameters", shape),
                    value == null || value.isNull()
                            ? ""
                            : value.isString() ? value.asString() : json.writeValueAsString(value));
        }
        Map<String, String> artifacts = new LinkedHashMap<>();
        for (JsonNode a : list(outputs, "artifacts", shape)) {
            JsonNode path = a.get("path");
            if (path == null || !path.isString()) {
                throw new StepFailure(
                        "/work/result.json lists an output artifact without a path%s"
                                .formatted(shape));
            }
            artifacts.put(name(a, "artifacts", shape), path.asString());
        }
        return new Result(
                phase.asString().equals("Succeeded"), message.asString(), parameters, artifacts);
    }

    private static Iterable<JsonNode> list(JsonNode outputs, String field, String shape)
            throws StepFailure {
        JsonNode list = outputs.get(field);
        if (list == null || list.isNull()) {
            return java.util.List.of(); // the published schema lets both lists be left out
        }
        if (!list.isArray()) {
            throw new StepFailure(
                    "/work/result.json has outputs.%s that is not a list%s"
                            .formatted(field, shape));
        }
        return list;
    }

    private static String name(JsonNode entry, String field, String shape) throws StepFailure {
        JsonNode name = entry.get("name");
        if (!entry.isObject() || name == null || !name.isString()) {
            throw new StepFailure(
                    "/work/result.json has an entry of outputs.%s without a name%s"
                            .formatted(field, shape));
        }
        return name.asString();
    }
}
