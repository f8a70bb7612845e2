package io.argowasm.cli;

import io.argowasm.dryrun.InvalidWorkflowException;
import io.argowasm.dryrun.WorkflowDocument;
import io.argowasm.dryrun.WorkflowFiles;
import io.argowasm.dryrun.WorkflowLint;
import io.argowasm.module.ModuleStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks workflow files without running them, as far as they can be checked statically. */
@Command(
        name = "lint",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Check Workflow and WorkflowTemplate files without running them: Argo's schema, every"
                    + " plugin: wasm block as the sidecar reads it (keys, types, limits against the"
                    + " caps), and each module it names: reachable, a valid waPC guest or WASI"
                    + " command, matching its sha256.",
            "Operations are not checked: a waPC module cannot list the operations it offers."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no problems", "2:problems found, or invalid usage"})
final class LintCommand implements Callable<Integer> {

    @Mixin LogOptions logging;

    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Workflow YAML files.")
    List<Path> files = new ArrayList<>();

    @Option(
            names = {"-q", Flags.QUIET},
            description = "Only problems: no notes, summary or INFO log lines.")
    boolean quiet;

    @Mixin RuntimeOptions runtime;

    @Mixin StrictOptions strictness;

    @Override
    public Integer call() {
        if (quiet) {
            Logging.quiet();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SidecarRules sidecar = SidecarRules.of(strictness, files.get(0), spec);
        RuntimeOptions rules = strictness.strict ? sidecar.runtime() : runtime;
        ModuleStore modules = rules.moduleStore(strictness.strict);
        WorkflowLint lint =
                WorkflowLint.builder(rules.limits())
                        .modules(modules::load)
                        .sidecar(sidecar.lintRules(strictness.strict))
                        .build();
        int problems = 0;
        int filesWithProblems = 0;
        for (Path file : files) {
            List<String> found = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            try {
                List<WorkflowDocument> documents = WorkflowFiles.read(file);
                WorkflowLint.Findings findings = lint.check(documents);
                found.addAll(findings.problems());
                warnings.addAll(findings.warnings());
                notes.addAll(findings.notes());
            } catch (InvalidWorkflowException e) {
                found.addAll(e.problems());
            }
            found.forEach(p -> out.println("error: %s".formatted(p)));
            warnings.forEach(w -> out.println("warning: %s".formatted(w)));
            if (!quiet) {
                notes.forEach(n -> out.println("note: %s".formatted(n)));
            }
            problems += found.size();
            filesWithProblems += found.isEmpty() ? 0 : 1;
        }
        out.flush();
        if (!quiet) {
            err.println(
                    problems == 0
                            ? "lint: %d file(s), no problems".formatted(files.size())
                            : "lint: %d problem(s) in %d of %d file(s)"
                                    .formatted(problems, filesWithProblems, files.size()));
            err.flush();
        }
        return problems == 0 ? Main.OK : Main.USAGE;
    }
}
