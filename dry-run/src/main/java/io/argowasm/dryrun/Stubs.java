package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Stubs by template name, from {@code --stub} options and {@code --stubs} files.
 *
 * <p>{@code --stub TEMPLATE} stubs a template with no outputs; {@code --stub
 * TEMPLATE=param:NAME=VALUE}, {@code TEMPLATE=artifact:NAME=PATH} and {@code TEMPLATE=result:TEXT}
 * add one output each (repeat the option for more). A stubs file maps template names to {@code
 * {parameters: {NAME: VALUE}, artifacts: {NAME: PATH}, result: TEXT, phase: Succeeded|Failed,
 * message: TEXT}}, with paths relative to the file.
 */
public final class Stubs {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final Map<String, Stub> byTemplate;

    private Stubs(Map<String, Stub> byTemplate) {
        this.byTemplate = byTemplate;
    }

    public static Stubs none() {
        return new Stubs(Map.of());
    }

    public Optional<Stub> forTemplate(String template) {
        return Optional.ofNullable(byTemplate.get(template));
    }

    public Set<String> templates() {
        return byTemplate.keySet();
    }

    /**
     * Reads stubs files, then {@code --stub} options (which add to a file's entry).
     *
     * @throws InvalidWorkflowException naming the option or file entry that cannot be read
     */
    public static Stubs parse(List<Path> files, List<String> options) {
        Map<String, Builder> builders = new LinkedHashMap<>();
        for (Path file : files) {
            readFile(file, builders);
        }
        for (String option : options) {
            readOption(option, builders);
        }
        Map<String, Stub> stubs = new LinkedHashMap<>();
        builders.forEach((name, b) -> stubs.put(name, b.build(name)));
        return new Stubs(stubs);
    }

    private static void readOption(String option, Map<String, Builder> builders) {
        int eq = option.indexOf('=');
        String template = eq < 0 ? option : option.substring(0, eq);
        if (template.isBlank()) {
            throw usage(option, "it names no template");
        }
        Builder builder = builders.computeIfAbsent(template, t -> new Builder());
        if (eq < 0) {
            return;
        }
        String output = option.substring(eq + 1);
        int colon = output.indexOf(':');
        String kind = colon < 0 ? output : output.substring(0, colon);
        String rest = colon < 0 ? "" : output.substring(colon + 1);
        switch (kind) {
            case "param", "parameter" -> {
                String[] nv = nameValue(option, rest);
                builder.parameters.put(nv[0], nv[1]);
            }
            case "artifact" -> {
                String[] nv = nameValue(option, rest);
                builder.artifacts.put(nv[0], existing(option, Path.of(nv[1])));
            }
            case "result" -> builder.result = rest;
            case "failed" -> {
                builder.phase = NodePhase.Failed;
                builder.message = rest;
            }
            default ->
                    throw usage(
                            option,
                            ("after '%s=' give param:NAME=VALUE, artifact:NAME=PATH, result:TEXT or"
                                            + " failed:MESSAGE")
                                    .formatted(template));
        }
    }

    private static String[] nameValue(String option, String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw usage(option, "'%s' is not NAME=VALUE".formatted(text));
        }
        return new String[] {text.substring(0, eq), text.substring(eq + 1)};
    }

    private static Path existing(String where, Path path) {
        if (!Files.exists(path)) {
            throw usage(where, "file %s does not exist".formatted(path));
        }
        return path.toAbsolutePath().normalize();
    }

    private static void readFile(Path file, Map<String, Builder> builders) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException | JacksonException e) {
            throw new InvalidWorkflowException(
                    "cannot read stubs file %s: %s".formatted(file, e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidWorkflowException(
                    "stubs file %s must map template names to their outputs".formatted(file));
        }
        Path base = file.toAbsolutePath().getParent();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String where = "stubs file %s, template '%s'".formatted(file, entry.getKey());
            Builder builder = builders.computeIfAbsent(entry.getKey(), t -> new Builder());
            JsonNode spec = entry.getValue();
            for (String key : spec.propertyNames()) {
                if (!List.of("parameters", "artifacts", "result", "phase", "message")
                        .contains(key)) {
                    throw new InvalidWorkflowException(
                            "%s: unknown key '%s'; use parameters, artifacts, result, phase, message"
                                    .formatted(where, key));
                }
            }
            spec.path("parameters")
                    .properties()
                    .forEach(p -> builder.parameters.put(p.getKey(), Scalars.text(p.getValue())));
            spec.path("artifacts")
                    .properties()
                    .forEach(
                            a ->
                                    builder.artifacts.put(
                                            a.getKey(),
                                            existing(
                                                    where, base.resolve(a.getValue().asString()))));
            if (spec.has("result")) {
                builder.result = Scalars.text(spec.get("result"));
            }
            if (spec.has("phase")) {
                String phase = spec.get("phase").asString();
                if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
                    throw new InvalidWorkflowException(
                            "%s: phase must be Succeeded or Failed".formatted(where));
                }
                builder.phase = NodePhase.valueOf(phase);
            }
            if (spec.has("message")) {
                builder.message = spec.get("message").asString();
            }
        }
    }

    private static InvalidWorkflowException usage(String option, String why) {
        return new InvalidWorkflowException("%s %s: %s".formatted(DryRunFlags.STUB, option, why));
    }

    private static final class Builder {
        final Map<String, String> parameters = new LinkedHashMap<>();
        final Map<String, Path> artifacts = new LinkedHashMap<>();
        String result;
        NodePhase phase = NodePhase.Succeeded;
        String message;

        Stub build(String template) {
            return new Stub(template, parameters, artifacts, result, phase, message);
        }
    }
}
