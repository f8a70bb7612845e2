package io.argowasm.dryrun;

import io.argowasm.exec.ExecutionLimits;
import io.argowasm.exec.InvalidTemplateException;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.exec.WasmPluginSpec;
import io.argowasm.module.ModuleFlags;
import io.argowasm.module.ModuleLoadException;
import io.argowasm.module.ModuleRef;
import io.argowasm.module.ModuleSourcePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks workflow documents without running them: Argo's schema, every {@code plugin.wasm} block
 * parsed as the sidecar parses it, and each module it names loaded (fetched, validated, its sha256
 * compared). Which operations a waPC module offers cannot be known without calling it, so
 * operations are not checked. Every finding names the document and the template's path.
 */
public final class WorkflowLint {

    private ArgoSchema schema;
    private final ExecutionLimits limits;
    private final ModuleLoader modules;
    private final Sidecar sidecar;

    private WorkflowLint(Builder builder) {
        this.schema = builder.schema;
        this.limits = builder.limits;
        this.modules = builder.modules;
        this.sidecar = builder.sidecar;
    }

    /**
     * @param limits the caps {@code plugin.wasm.limits} are checked against
     */
    public static Builder builder(ExecutionLimits limits) {
        return new Builder(limits);
    }

    /** Loads a module as a step would, failing as the step would fail. */
    @FunctionalInterface
    public interface ModuleLoader {
        void load(ModuleRef module) throws ModuleLoadException;
    }

    /**
     * The rules of the sidecar that will run the workflow, where they are stricter than the local
     * ones: its caps on {@code limits} and where it loads modules from.
     *
     * @param source how messages name where the rules come from (a manifest, serve's defaults)
     * @param strict whether what the sidecar refuses is a problem; else a warning
     */
    public record Sidecar(
            ExecutionLimits limits, ModuleSourcePolicy policy, String source, boolean strict) {}

    /**
     * What a check found.
     *
     * @param problems what fails the workflow (or the step) when it runs
     * @param warnings what runs locally but the sidecar would refuse
     * @param notes what could not be checked before the workflow runs
     */
    public record Findings(List<String> problems, List<String> warnings, List<String> notes) {

        private Findings() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        public boolean clean() {
            return problems.isEmpty();
        }
    }

    /** Checks every document, and every {@code plugin.wasm} template in each. */
    public Findings check(List<WorkflowDocument> documents) {
        Findings findings = new Findings();
        for (WorkflowDocument document : documents) {
            findings.problems().addAll(schema().check(document));
            JsonNode templates = document.node().path("spec").path("templates");
            for (int i = 0; i < templates.size(); i++) {
                String path = "spec.templates[" + i + "]";
                checkTemplate(
                        document.at(path),
                        templates.get(i),
                        WorkflowRun.directoryOf(document),
                        findings);
            }
        }
        return findings;
    }

    /**
     * Checks one template; templates without {@code plugin.wasm} pass.
     *
     * @param where how findings name the template
     * @param directory what a relative {@code module.file} is relative to
     */
    public Findings checkTemplate(String where, JsonNode template, Path directory) {
        Findings findings = new Findings();
        checkTemplate(where, template, directory, findings);
        return findings;
    }

    private void checkTemplate(String where, JsonNode template, Path directory, Findings into) {
        JsonNode wasm = template.path("plugin").path(TemplateExecutor.PLUGIN_NAME);
        if (wasm.isMissingNode()) {
            return;
        }
        if (usesVariables(wasm)) {
            into.notes()
                    .add(
                            "%s when the step runs, with the values substituted"
                                    .formatted(
                                            "%s: plugin.wasm takes {{...}} values outside options; it is checked"
                                                    .formatted(where)));
            return;
        }
        WasmPluginSpec spec;
        try {
            spec = WasmPluginSpec.parse(wasm, limits);
        } catch (InvalidTemplateException e) {
            String rules =
                    sidecar != null && sidecar.strict()
                            ? " (with %s, the sidecar's rules from %s)"
                                    .formatted(LintFlags.STRICT, sidecar.source())
                            : "";
            into.problems().add("%s: %s%s".formatted(where, e.getMessage(), rules));
            return;
        }
        boolean refused = sidecar != null && refusedBySidecar(where, wasm, spec, into);
        if (modules == null || (refused && sidecar.strict())) {
            // Under --strict the refusal already says why the step cannot run.
            return;
        }
        ModuleRef module = spec.module();
        if (module.artifact() != null) {
            return; // the artifact exists only when the workflow runs
        }
        if (module.file() != null && !module.file().isAbsolute()) {
            module =
                    ModuleRef.ofFile(directory.resolve(module.file()).normalize(), module.sha256());
        }
        try {
            modules.load(module);
        } catch (ModuleLoadException e) {
            into.problems().add("%s: plugin.wasm.module: %s".formatted(where, e.getMessage()));
        }
    }

    /**
     * Reports what the sidecar would refuse of a block the local rules accept.
     *
     * @return whether it would refuse anything
     */
    private boolean refusedBySidecar(
            String where, JsonNode wasm, WasmPluginSpec local, Findings into) {
        List<String> refusals = new ArrayList<>();
        try {
            WasmPluginSpec.parse(wasm, sidecar.limits());
        } catch (InvalidTemplateException e) {
            refusals.add(e.getMessage());
        }
        ModuleRef module = local.module();
        try {
            if (module.file() != null && !module.file().isAbsolute()) {
                refusals.add(
                        ("plugin.wasm.module.file %s is a relative path; the sidecar reads"
                                        + " module files by absolute path, from its %s")
                                .formatted(module.file(), ModuleFlags.MODULE_DIR));
            } else if (module.file() != null) {
                sidecar.policy().checkFile(module.file());
            } else if (module.url() != null) {
                sidecar.policy().check(module.url(), "module %s".formatted(module.url()));
            } else if (module.oci() != null) {
                sidecar.policy()
                        .check(
                                java.net.URI.create("https://" + module.oci().apiHost() + "/"),
                                "module %s".formatted(module.describe()));
            }
        } catch (ModuleLoadException e) {
            refusals.add(e.getMessage());
        }
        List<String> target = sidecar.strict() ? into.problems() : into.warnings();
        refusals.forEach(
                r ->
                        target.add(
                                "%s: the sidecar (%s) would refuse this step: %s"
                                        .formatted(where, sidecar.source(), r)));
        return !refusals.isEmpty();
    }

    /** Loaded on first use: checking a single template needs no schema. */
    private synchronized ArgoSchema schema() {
        if (schema == null) {
            schema = ArgoSchema.load();
        }
        return schema;
    }

    /** Whether a field the plugin reads before calling the guest holds an Argo variable. */
    private static boolean usesVariables(JsonNode wasm) {
        if (!(wasm instanceof ObjectNode object)) {
            return false;
        }
        ObjectNode checked = object.deepCopy();
        checked.remove("options");
        return checked.toString().contains("{{");
    }

    /** Options of a {@link WorkflowLint}. */
    public static final class Builder {
        private final ExecutionLimits limits;
        private ModuleLoader modules;
        private ArgoSchema schema;
        private Sidecar sidecar;

        private Builder(ExecutionLimits limits) {
            this.limits = Objects.requireNonNull(limits);
        }

        /** Loads each module; without one, modules are not checked. */
        public Builder modules(ModuleLoader loader) {
            this.modules = loader;
            return this;
        }

        /** The schema to validate with; loaded from the jar when not given. */
        public Builder schema(ArgoSchema value) {
            this.schema = value;
            return this;
        }

        /** Also checks against the sidecar's rules; without them, only the local ones apply. */
        public Builder sidecar(Sidecar rules) {
            this.sidecar = rules;
            return this;
        }

        public WorkflowLint build() {
            return new WorkflowLint(this);
        }
    }
}
