package io.argowasm.cli;

import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.dryrun.DryRun;
import io.argowasm.dryrun.DryRunResult;
import io.argowasm.dryrun.InvalidWorkflowException;
import io.argowasm.dryrun.JsonReport;
import io.argowasm.dryrun.NodeListener;
import io.argowasm.dryrun.ProgressPrinter;
import io.argowasm.dryrun.Stubs;
import io.argowasm.dryrun.TreePrinter;
import io.argowasm.dryrun.WorkflowDocument;
import io.argowasm.dryrun.WorkflowFiles;
import io.argowasm.dryrun.WorkflowLint;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.ModuleStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Runs an Argo Workflow file locally: wasm steps execute, the rest is stubbed or refused. */
@Command(
        name = "dry-run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run an Argo Workflow or WorkflowTemplate locally, with no cluster: plugin: wasm steps"
                    + " execute through the plugin's HTTP contract; steps, dag, parameters,"
                    + " artifacts, withItems/withParam, when, continueOn and retryStrategy behave"
                    + " as in Argo.",
            "Without FILE, runs the bundled hello example."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the workflow Succeeded",
            "1:the workflow Failed or Errored",
            "2:invalid input (schema, unknown template, missing parameter, unsupported construct)",
            "130:interrupted (Ctrl-C); the nodes so far are printed"
        })
final class DryRunCommand implements Callable<Integer> {

    @Mixin LogOptions logging;

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** The exit code of a command stopped by Ctrl-C: 128 + SIGINT. */
    static final int INTERRUPTED = 130;

    @Spec CommandSpec spec;

    @Parameters(
            arity = "0..*",
            paramLabel = "FILE",
            description =
                    "Workflow YAML: one Workflow (or one WorkflowTemplate), plus the"
                            + " WorkflowTemplates its templateRefs name; several documents per"
                            + " file are fine.")
    List<Path> files = new ArrayList<>();

    @Option(
            names = {Flags.PARAMETER_SHORT, Flags.PARAMETER},
            paramLabel = "NAME=VALUE",
            description = "A workflow parameter (spec.arguments.parameters); repeatable.")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(
            names = {"-f", Flags.PARAMETER_FILE},
            paramLabel = "FILE",
            description = "Workflow parameters from a YAML or JSON map, as argo submit reads it.")
    Path parameterFile;

    @Option(
            names = {"-e", Flags.ENTRYPOINT},
            description = "Run this template instead of spec.entrypoint.")
    String entrypoint;

    @Option(
            names = {"-n", Flags.NAMESPACE},
            defaultValue = "argo",
            description = "The namespace the steps see. Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Option(
            names = Flags.STUB,
            paramLabel = "TEMPLATE[=OUTPUT]",
            description = {
                "Outputs of a template dry-run cannot execute (container, script, resource,"
                        + " http); repeatable. OUTPUT is param:NAME=VALUE, artifact:NAME=PATH,"
                        + " result:TEXT or failed:MESSAGE.",
                "Example: --stub produce=artifact:text=./text.txt"
            })
    List<String> stubs = new ArrayList<>();

    @Option(
            names = Flags.STUBS,
            paramLabel = "FILE",
            description =
                    "Stubs from YAML: TEMPLATE: {parameters: {NAME: VALUE}, artifacts: {NAME:"
                            + " PATH}, result: TEXT, phase: Succeeded|Failed, message: TEXT};"
                            + " paths relative to the file.")
    List<Path> stubFiles = new ArrayList<>();

    @Option(
            names = Flags.ARTIFACT_DIR,
            paramLabel = "DIR",
            description =
                    "The directory standing in for the artifact repository. Default: a new"
                            + " temporary directory (removed when no artifact was stored).")
    Path artifactDir;

    @Option(
            names = Flags.PARALLELISM,
            defaultValue = "16",
            description =
                    "Steps running at once, like Argo's agent workers (spec.parallelism may lower"
                            + " it). Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = {"-o", Flags.OUTPUT},
            defaultValue = "tree",
            paramLabel = "tree|json",
            description =
                    "One of ${COMPLETION-CANDIDATES}. tree: argo get's view on stdout; json: the"
                            + " Workflow with status.nodes, alone on stdout. Default:"
                            + " ${DEFAULT-VALUE}.")
    Report output;

    /** What {@code -o} prints; picocli turns any other value into a usage error naming it. */
    enum Report {
        tree,
        json
    }

    @Option(
            names = {"-q", Flags.QUIET},
            description = "No progress or INFO log lines on stderr.")
    boolean quiet;

    @Mixin RuntimeOptions runtime;

    @Mixin StrictOptions strictness;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (quiet) {
            Logging.quiet();
        }
        boolean temporary = artifactDir == null;
        Path artifacts = temporary ? Files.createTempDirectory("dry-run-artifacts-") : artifactDir;
        try {
            SidecarRules sidecar =
                    SidecarRules.of(strictness, files.isEmpty() ? null : files.get(0), spec);
            RuntimeOptions rules = strictness.strict ? sidecar.runtime() : runtime;
            ModuleStore modules = rules.moduleStore(strictness.strict);
            DryRun dryRun;
            try {
                dryRun =
                        DryRun.builder(documents())
                                .lint(
                                        WorkflowLint.builder(rules.limits())
                                                .modules(modules::load)
                                                .sidecar(sidecar.lintRules(strictness.strict))
                                                .build())
                                .parameters(parameters())
                                .entrypoint(entrypoint)
                                .namespace(namespace)
                                .stubs(Stubs.parse(stubFiles, stubs))
                                .artifactDirectory(artifacts)
                                .parallelism(parallelism)
                                .build();
            } catch (InvalidWorkflowException e) {
                e.problems().forEach(p -> err.println("error: %s".formatted(p)));
                err.flush();
                return Main.USAGE;
            }
            dryRun.notes().forEach(n -> err.println("note: %s".formatted(n)));
            dryRun.warnings().forEach(w -> err.println("warning: %s".formatted(w)));
            DryRunResult result;
            boolean redrawing = !quiet && terminal();
            PrintStream systemErr = System.err;
            try (ProgressPrinter progress = new ProgressPrinter(err, redrawing);
                    TemplateExecutor executor =
                            rules.executor(dryRun.artifactStore().workspaces(), modules)) {
                if (redrawing) {
                    // Log lines go to System.err; they pass the status line as progress lines do.
                    System.setErr(progress.logLines());
                }
                Thread interrupted =
                        new Thread(() -> interrupted(dryRun, progress), "dry-run-interrupted");
                Runtime.getRuntime().addShutdownHook(interrupted);
                try {
                    result = dryRun.execute(executor, quiet ? NodeListener.NONE : progress);
                } finally {
                    removeHook(interrupted);
                }
            } finally {
                System.setErr(systemErr);
            }
            print(result, dryRun, out);
            return result.phase() == NodePhase.Succeeded ? Main.OK : Main.STEP_FAILED;
        } finally {
            if (temporary) {
                removeIfEmpty(artifacts);
            }
        }
    }

    private void print(DryRunResult result, DryRun dryRun, PrintWriter out) {
        if (output == Report.json) {
            out.println(
                    Json.mapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(JsonReport.of(result)));
        } else {
            new TreePrinter(dryRun.artifactStore()).print(result, out);
        }
        out.flush();
    }

    /**
     * Ctrl-C (or SIGTERM) while steps run: the nodes so far, running ones marked, then exit 130 as
     * a shell reports an interrupted command.
     */
    private void interrupted(DryRun dryRun, ProgressPrinter progress) {
        progress.close();
        PrintWriter err = spec.commandLine().getErr();
        err.println("dry-run: interrupted; the workflow so far (● marks steps still running):");
        err.flush();
        try {
            dryRun.sofar().ifPresent(r -> print(r, dryRun, spec.commandLine().getOut()));
        } finally {
            Runtime.getRuntime().halt(INTERRUPTED);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs and ends the process.
        }
    }

    private List<WorkflowDocument> documents() {
        if (files.isEmpty()) {
            return WorkflowFiles.bundledDefault();
        }
        List<WorkflowDocument> documents = new ArrayList<>();
        files.forEach(f -> documents.addAll(WorkflowFiles.read(f)));
        return documents;
    }

    /** The parameter file's values, overridden by {@code -p}. */
    private Map<String, String> parameters() {
        Map<String, String> values = new LinkedHashMap<>();
        if (parameterFile != null) {
            JsonNode root;
            try {
                root = YAML.readTree(Files.readString(parameterFile));
            } catch (IOException | JacksonException e) {
                throw new InvalidWorkflowException(
                        "cannot read parameter file %s: %s"
                                .formatted(parameterFile, e.getMessage()));
            }
            if (root == null || !root.isObject()) {
                throw new InvalidWorkflowException(
                        "parameter file %s must be a map of NAME: VALUE".formatted(parameterFile));
            }
            root.properties()
                    .forEach(
                            e ->
                                    values.put(
                                            e.getKey(),
                                            e.getValue().isValueNode()
                                                    ? e.getValue().asString()
                                                    : Json.mapper()
                                                            .writeValueAsString(e.getValue())));
        }
        values.putAll(parameters);
        return values;
    }

    /** Redrawing needs a terminal; a pipe, a file or a dumb terminal gets plain lines. */
    private static boolean terminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    private static void removeIfEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            if (entries.findAny().isPresent()) {
                return;
            }
        }
        Files.delete(directory);
    }
}
