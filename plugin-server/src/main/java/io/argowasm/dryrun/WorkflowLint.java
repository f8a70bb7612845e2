package io.argowasm.dryrun;

import io.argowasm.exec.ExecutionLimits;
import io.argowasm.exec.InvalidTemplateException;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.exec.WasmPluginSpec;
import io.argowasm.module.ModuleLoadException;
import io.argowasm.module.ModuleRef;
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

    private final ArgoSchema schema;
    private final ExecutionLimits limits;
    private final ModuleLoader modules;

    private WorkflowLint(Builder builder) {
        this.schema = builder.schema == null ? ArgoSchema.load() : builder.schema;
        this.limits = builder.limits;
        this.modules = builder.modules;
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
     * What a check found.
     *
     * @param problems what fails the workflow (or the step) when it runs
     * @param notes what could not be checked before the workflow runs
     */
    public record Findings(List<String> problems, List<String> notes) {

        public boolean clean() {
            return problems.isEmpty();
        }
    }

    /** Checks every document, and every {@code plugin.wasm} template in each. */
    public Findings check(List<WorkflowDocument> documents) {
        Findings findings = new Findings(new ArrayList<>(), new ArrayList<>());
        for (WorkflowDocument document : documents) {
            findings.problems().addAll(schema.check(document));
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
        Findings findings = new Findings(new ArrayList<>(), new ArrayList<>());
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
                            "%s: plugin.wasm takes {{...}} values outside options; it is checked"
                                            .formatted(where)
                                    + " when the step runs, with the values substituted");
            return;
        }
        WasmPluginSpec spec;
        try {
            spec = WasmPluginSpec.parse(wasm, limits);
        } catch (InvalidTemplateException e) {
            into.problems().add(where + ": " + e.getMessage());
            return;
        }
        if (modules == null) {
            return;
        }
        ModuleRef module = spec.module();
        if (module.file() != null && !module.file().isAbsolute()) {
            module =
                    ModuleRef.ofFile(directory.resolve(module.file()).normalize(), module.sha256());
        }
        try {
            modules.load(module);
        } catch (ModuleLoadException e) {
            into.problems().add(where + ": plugin.wasm.module: " + e.getMessage());
        }
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

        public WorkflowLint build() {
            return new WorkflowLint(this);
        }
    }
}
