package io.argowasm.cli;

import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.ExecuteTemplateReply;
import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.artifacts.WorkflowRef;
import io.argowasm.dryrun.WorkflowLint;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.BundledModules;
import io.argowasm.module.Digests;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Runs one template locally through the same executor the sidecar uses and prints Argo's reply.
 * Without {@code --module} or {@code --template} it runs the bundled {@code greet} example.
 * Artifacts live in {@code ./artifacts} unless {@code --artifact-dir} or {@code --s3-*} say
 * otherwise.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run one wasm step locally and print the reply Argo would receive.",
            "Without --module or --template, runs the bundled greet example."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Succeeded", "1:Failed", "2:invalid usage"})
final class RunCommand implements Callable<Integer> {

    @Mixin LogOptions logging;

    static final String EXAMPLE_MODULE_URL =
            "https://github.com/argowasm/wasm-executor-plugin/raw/v0.1.0/examples/modules/greet/greet.wasm";

    private static final WorkflowRef WORKFLOW =
            new WorkflowRef("local", "local", "00000000-0000-0000-0000-000000000000");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** How --module names a registry reference, as Helm and ORAS write them. */
    private static final String OCI_SCHEME = "oci://";

    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
        @Option(
                names = Flags.MODULE,
                paramLabel = "PATH|URL|oci://REF",
                description =
                        "A module file, an http(s) URL, or a registry reference written"
                                + " oci://REGISTRY/REPOSITORY[:TAG][@sha256:DIGEST].")
        String module;

        @Option(
                names = Flags.TEMPLATE,
                paramLabel = "FILE.yaml",
                description =
                        "A template with plugin: wasm, or a workflow holding one (see --name).")
        Path template;
    }

    @Option(
            names = Flags.NAME,
            description = "With --template on a workflow file: the template to run.")
    String name;

    @Option(names = Flags.SHA256, description = "Pin the module to this digest.")
    String sha256;

    @Option(
            names = Flags.OPERATION,
            description = "waPC operation. Default: run (greet for the bundled example).")
    String operation;

    @Option(
            names = {Flags.PARAMETER_SHORT, Flags.PARAMETER},
            paramLabel = "NAME=VALUE",
            description = "An input parameter; repeatable.")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(
            names = Flags.OPTIONS,
            paramLabel = "JSON",
            description = "plugin.wasm.options, as JSON.")
    String options;

    @Option(
            names = Flags.TIMEOUT,
            converter = DurationConverter.Text.class,
            paramLabel = "DURATION",
            description = "plugin.wasm.limits.timeout, e.g. 30s.")
    String timeout;

    @Option(
            names = Flags.MEMORY,
            converter = ByteQuantityConverter.Text.class,
            paramLabel = "QUANTITY",
            description = "plugin.wasm.limits.memory, e.g. 64Mi.")
    String memory;

    @Option(
            names = Flags.ARTIFACT,
            paramLabel = "NAME=PATH",
            description = {
                "A local file or directory for the input artifact NAME; repeatable. With"
                        + " --template NAME must be an input the template declares; with --module"
                        + " any name.",
                "Stored in the artifact repository (--artifact-dir, --s3-*; else a temporary one"
                        + " removed at exit) as Argo would store it: a directory as .tgz."
            })
    Map<String, Path> inputArtifacts = new LinkedHashMap<>();

    @Option(
            names = Flags.OUTPUT_ARTIFACT,
            paramLabel = "NAME",
            description = "With --module: an output artifact the step writes; repeatable.")
    List<String> outputArtifacts = new ArrayList<>();

    @Option(
            names = Flags.OUTPUT_DIR,
            paramLabel = "DIR",
            description =
                    "Copy the step's output artifacts here, each a file or directory named after"
                            + " its artifact (unpacked; an earlier one of that name is replaced)."
                            + " Default: none, they stay in the repository.")
    Path outputDir;

    @Option(
            names = {"-o", Flags.OUTPUT},
            defaultValue = "json",
            paramLabel = "json|yaml",
            description =
                    "How the reply is printed on stdout: ${COMPLETION-CANDIDATES}. Default:"
                            + " ${DEFAULT-VALUE}.")
    Format output;

    @Option(
            names = {"-q", Flags.QUIET},
            description = "Only warnings and errors on stderr: no INFO log lines or progress.")
    boolean quiet;

    /** Formats of the reply on stdout. */
    enum Format {
        json,
        yaml
    }

    @Mixin RuntimeOptions runtime;

    @Mixin StrictOptions strictness;

    @Mixin ArtifactOptions artifacts;

    private String lastProgress;

    @Override
    public Integer call() {
        if (quiet) {
            Logging.quiet();
        }
        Path file = source != null ? source.template : null;
        ObjectNode template = file != null ? fromFile(file) : fromFlags();
        applyParameters(template);
        declareOutputArtifacts(template);
        PrintWriter err = spec.commandLine().getErr();
        SidecarRules sidecar = SidecarRules.of(strictness, file, spec);
        RuntimeOptions rules = strictness.strict ? sidecar.runtime() : runtime;
        Path directory = file != null ? file.toAbsolutePath().getParent() : Path.of("");
        checkAgainstSidecar(template, directory, sidecar, rules, err);
        if (file != null) {
            resolveModuleFile(template, directory);
        }
        // Files given with --artifact, and outputs bound for --output-dir, pass through a
        // repository removed at exit unless a flag names one.
        boolean temporaryRepository =
                !artifacts.repositoryGiven() && (!inputArtifacts.isEmpty() || outputDir != null);
        ExecuteTemplateReply reply;
        List<Path> collected;
        try (LocalStep step =
                LocalStep.open(
                        temporary ->
                                artifacts.workspaces(
                                        false,
                                        temporaryRepository
                                                ? temporary.resolve("repository")
                                                : Path.of("artifacts"),
                                        temporary.resolve("workspaces")),
                        workspaces -> rules.executor(workspaces, strictness.strict),
                        err)) {
            RunArtifacts files = new RunArtifacts(step.workspaces(), WORKFLOW);
            applyArtifacts(template, files);
            reply = step.execute(argsFor(template), waiting -> progress(err, waiting));
            if (reply.node() == null) {
                throw usage("the template has no plugin: wasm block");
            }
            collected =
                    outputDir == null || reply.node().outputs() == null
                            ? List.of()
                            : files.collect(
                                    Json.mapper()
                                            .valueToTree(reply.node().outputs())
                                            .path("artifacts"),
                                    outputDir);
        }
        print(reply, collected, err);
        return reply.node().phase() == NodePhase.Succeeded ? Main.OK : Main.STEP_FAILED;
    }

    /** The reply on stdout in the {@code -o} format; the output artifacts written on stderr. */
    private void print(ExecuteTemplateReply reply, List<Path> collected, PrintWriter err) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                output == Format.yaml
                        ? YAML.writeValueAsString(Json.mapper().valueToTree(reply))
                        : Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(reply));
        out.flush();
        if (!quiet) {
            collected.forEach(p -> err.println("run: wrote output artifact %s".formatted(p)));
        }
    }

    /**
     * Warns of what the sidecar would refuse of the template; under {@code --strict}, refuses it.
     */
    private void checkAgainstSidecar(
            ObjectNode template,
            Path directory,
            SidecarRules sidecar,
            RuntimeOptions rules,
            PrintWriter err) {
        WorkflowLint.Findings findings =
                WorkflowLint.builder(rules.limits())
                        .sidecar(sidecar.lintRules(strictness.strict))
                        .build()
                        .checkTemplate(
                                "template '%s'".formatted(template.path("name").asString()),
                                template,
                                directory.toAbsolutePath());
        findings.warnings().forEach(w -> err.println("warning: %s".formatted(w)));
        err.flush();
        if (strictness.strict && !findings.clean()) {
            throw usage(String.join("\n", findings.problems()));
        }
    }

    /** {@code module.file} is relative to the template file. */
    private static void resolveModuleFile(ObjectNode template, Path directory) {
        JsonNode module = template.path("plugin").path(TemplateExecutor.PLUGIN_NAME).path("module");
        if (module instanceof ObjectNode m && m.path("file").isString()) {
            Path relative = Path.of(m.get("file").asString());
            m.put("file", directory.toAbsolutePath().resolve(relative).normalize().toString());
        }
    }

    private ExecuteTemplateArgs argsFor(ObjectNode template) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("workflow")
                .putObject("metadata")
                .put("name", WORKFLOW.name())
                .put("namespace", WORKFLOW.namespace())
                .put("uid", WORKFLOW.uid());
        body.set("template", template);
        try {
            return Json.mapper().treeToValue(body, ExecuteTemplateArgs.class);
        } catch (JacksonException e) {
            throw usage(
                    "the template does not have Argo's shape: %s"
                            .formatted(e.getOriginalMessage()));
        }
    }

    /**
     * Points declared inputs at the {@code --artifact} files (any name with {@code --module}) and
     * names the declared inputs left without a location.
     */
    private void applyArtifacts(ObjectNode template, RunArtifacts files) {
        ArrayNode declared = arrayAt(objectAt(template, "inputs"), "artifacts");
        Map<String, Path> left = new LinkedHashMap<>(inputArtifacts);
        List<String> names = new ArrayList<>();
        declared.forEach(a -> names.add(a.path("name").asString()));
        names.forEach(left::remove);
        if (!left.isEmpty() && source != null && source.template != null) {
            throw usage(
                    "%s %s: the template declares no such input artifact%s"
                            .formatted(
                                    Flags.ARTIFACT,
                                    String.join(", ", left.keySet()),
                                    names.isEmpty()
                                            ? ""
                                            : "; it declares %s"
                                                    .formatted(String.join(", ", names))));
        }
        for (JsonNode a : declared) {
            ObjectNode artifact = (ObjectNode) a;
            String aname = artifact.path("name").asString();
            Path given = inputArtifacts.get(aname);
            if (given != null) {
                supply(files, artifact, given);
            } else if (!hasLocation(artifact) && !artifact.path("optional").asBoolean(false)) {
                throw usage(
                        "input artifact '%s' has no location: pass %s %s=PATH"
                                .formatted(aname, Flags.ARTIFACT, aname));
            }
        }
        left.forEach((k, v) -> supply(files, declared.addObject().put("name", k), v));
    }

    private void supply(RunArtifacts files, ObjectNode artifact, Path content) {
        if (!Files.exists(content)) {
            throw usage(
                    "%s %s=%s: no such file or directory"
                            .formatted(Flags.ARTIFACT, artifact.path("name").asString(), content));
        }
        try {
            files.supply(artifact, content);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static boolean hasLocation(JsonNode artifact) {
        for (String location :
                List.of("s3", "raw", "http", "artifactory", "azure", "gcs", "git", "hdfs", "oss")) {
            if (artifact.has(location)) {
                return true;
            }
        }
        return false;
    }

    /** {@code --output-artifact} names outputs a {@code --module} step writes. */
    private void declareOutputArtifacts(ObjectNode template) {
        if (outputArtifacts.isEmpty()) {
            return;
        }
        if (source != null && source.template != null) {
            throw usage(
                    "with %s, declare output artifacts in the file (outputs.artifacts)"
                            .formatted(Flags.TEMPLATE));
        }
        ArrayNode declared = arrayAt(objectAt(template, "outputs"), "artifacts");
        outputArtifacts.forEach(n -> declared.addObject().put("name", n));
    }

    private static ObjectNode objectAt(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode o ? o : parent.putObject(field);
    }

    private static ArrayNode arrayAt(ObjectNode parent, String field) {
        return parent.get(field) instanceof ArrayNode a ? a : parent.putArray(field);
    }

    /** A Running or Pending reply, on stderr once per distinct message. */
    private void progress(PrintWriter err, String message) {
        if (!quiet && !message.equals(lastProgress)) {
            lastProgress = message;
            err.println("run: %s".formatted(message));
            err.flush();
        }
    }

    private ObjectNode fromFlags() {
        ObjectNode template = Json.mapper().createObjectNode();
        ObjectNode wasm = template.putObject("plugin").putObject(TemplateExecutor.PLUGIN_NAME);
        ObjectNode module = wasm.putObject("module");
        String moduleName;
        if (source == null || source.module == null) {
            module.put("url", EXAMPLE_MODULE_URL)
                    .put("sha256", Digests.sha256(BundledModules.load().bytes("greet")));
            wasm.put("operation", operation == null ? "greet" : operation);
            parameters.putIfAbsent("text", "hello from wasm");
            moduleName = "greet";
        } else {
            String m = source.module;
            boolean url = m.startsWith("http://") || m.startsWith("https://");
            if (m.startsWith(OCI_SCHEME)) {
                module.put("oci", m.substring(OCI_SCHEME.length()));
            } else {
                module.put(url ? "url" : "file", url ? m : Path.of(m).toAbsolutePath().toString());
            }
            moduleName =
                    m.substring(m.lastIndexOf('/') + 1)
                            .replaceFirst("[@:].*$", "")
                            .replaceFirst("\\.wasm$", "");
            if (operation != null) {
                wasm.put("operation", operation);
            }
        }
        if (sha256 != null) {
            module.put("sha256", sha256);
        }
        if (options != null) {
            try {
                wasm.set("options", Json.mapper().readTree(options));
            } catch (JacksonException e) {
                throw usage("%s is not JSON: %s".formatted(Flags.OPTIONS, e.getOriginalMessage()));
            }
        }
        if (timeout != null || memory != null) {
            ObjectNode limits = wasm.putObject("limits");
            if (timeout != null) {
                limits.put("timeout", timeout);
            }
            if (memory != null) {
                limits.put("memory", memory);
            }
        }
        template.put("name", moduleName);
        return template;
    }

    private ObjectNode fromFile(Path file) {
        JsonNode doc;
        try {
            doc = YamlFiles.read(file);
        } catch (IOException | JacksonException e) {
            throw usage("cannot read template %s: %s".formatted(file, e.getMessage()));
        }
        ObjectNode template = selectTemplate(file, doc);
        if (sha256 != null
                || operation != null
                || options != null
                || timeout != null
                || memory != null) {
            throw usage(
                    "with %s, set sha256, operation, options and limits in the file"
                            .formatted(Flags.TEMPLATE));
        }
        return template;
    }

    private ObjectNode selectTemplate(Path file, JsonNode doc) {
        if (!(doc instanceof ObjectNode object)) {
            throw usage("%s does not hold a template".formatted(file));
        }
        JsonNode templates = object.path("spec").path("templates");
        if (!templates.isArray()) {
            if (!TemplateExecutor.isWasmTemplate(object)) {
                throw usage("%s is not a template with plugin: wasm".formatted(file));
            }
            return object;
        }
        ObjectNode chosen = null;
        for (JsonNode t : templates) {
            boolean wasm = TemplateExecutor.isWasmTemplate(t);
            boolean named = name != null && name.equals(t.path("name").asString(null));
            if (named || (name == null && wasm)) {
                if (chosen != null && name == null) {
                    throw usage(
                            "%s has several plugin: wasm templates; choose one with %s"
                                    .formatted(file, Flags.NAME));
                }
                chosen = (ObjectNode) t;
            }
        }
        if (chosen == null || !TemplateExecutor.isWasmTemplate(chosen)) {
            throw usage(
                    name == null
                            ? "%s has no template with plugin: wasm".formatted(file)
                            : "%s has no plugin: wasm template named '%s'".formatted(file, name));
        }
        return chosen;
    }

    /** Applies -p values and defaults to the template's input parameters, as Argo would. */
    private void applyParameters(ObjectNode template) {
        ObjectNode inputs =
                template.has("inputs")
                        ? (ObjectNode) template.get("inputs")
                        : template.putObject("inputs");
        ArrayNode declared =
                inputs.has("parameters")
                        ? (ArrayNode) inputs.get("parameters")
                        : inputs.putArray("parameters");
        Map<String, String> left = new LinkedHashMap<>(parameters);
        for (JsonNode p : declared) {
            ObjectNode param = (ObjectNode) p;
            String pname = param.path("name").asString();
            String given = left.remove(pname);
            if (given != null) {
                param.put("value", given);
            } else if (!param.has("value") && param.has("default")) {
                param.set("value", param.get("default"));
            } else if (!param.has("value")) {
                throw usage(
                        "input parameter '%s' has no value: pass %s %s=VALUE"
                                .formatted(pname, Flags.PARAMETER_SHORT, pname));
            }
        }
        left.forEach((k, v) -> declared.addObject().put("name", k).put("value", v));
        if (!template.has("outputs")) {
            template.putObject("outputs");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
