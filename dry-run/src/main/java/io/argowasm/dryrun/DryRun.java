package io.argowasm.dryrun;

import io.argowasm.exec.TemplateExecutor;
import io.argowasm.server.PluginServer;
import io.argowasm.server.TokenCheck;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A workflow run locally: validated and checked when built, then executed against an in-process
 * plugin server, each wasm step posted to it as Argo's agent would.
 */
public final class DryRun {

    private static final long MAX_BODY_BYTES = 64L << 20;

    private final WorkflowDefinition workflow;
    private final TemplateResolver resolver;
    private final List<String> notes;
    private final List<String> warnings;
    private final Stubs stubs;
    private final LocalArtifactStore store;
    private final int parallelism;
    private volatile NodeTree tree;

    private DryRun(
            Builder b,
            WorkflowDefinition workflow,
            TemplateResolver resolver,
            List<String> notes,
            List<String> warnings) {
        this.workflow = workflow;
        this.resolver = resolver;
        this.notes = notes;
        this.warnings = warnings;
        this.stubs = b.stubs;
        this.store = new LocalArtifactStore(b.artifactDirectory);
        this.parallelism =
                workflow.parallelism() > 0
                        ? Math.min(workflow.parallelism(), b.parallelism)
                        : b.parallelism;
    }

    public static Builder builder(List<WorkflowDocument> documents) {
        return new Builder(documents);
    }

    public WorkflowDefinition workflow() {
        return workflow;
    }

    /** What the dry run leaves out that the workflow asks for (deadlines, backoff, ...). */
    public List<String> notes() {
        return notes;
    }

    /** What runs locally but the sidecar would refuse (see {@link WorkflowLint.Sidecar}). */
    public List<String> warnings() {
        return warnings;
    }

    /** The directory standing in for the artifact repository. */
    public LocalArtifactStore artifactStore() {
        return store;
    }

    /** Runs the workflow to its end; step failures are in the result, never thrown. */
    public DryRunResult execute(TemplateExecutor executor, NodeListener listener) {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        AtomicInteger threadCount = new AtomicInteger();
        ExecutorService threads =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "dry-run-" + threadCount.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        NodeTree tree = new NodeTree(workflow.name(), listener);
        this.tree = tree;
        try (PluginServer server =
                PluginServer.start(
                        executor, TokenCheck.of(token), "127.0.0.1", 0, MAX_BODY_BYTES)) {
            WorkflowRun run =
                    new WorkflowRun(
                            workflow,
                            resolver,
                            tree,
                            new PluginClient(server.port(), token),
                            stubs,
                            store,
                            threads,
                            parallelism);
            ResolvedTemplate entry =
                    resolver.byName(workflow.templates(), workflow.entrypoint()).orElseThrow();
            TemplateCall root =
                    new TemplateCall(
                            null,
                            workflow.name(),
                            workflow.name(),
                            entry,
                            new Arguments(workflow.parameters(), Map.of()),
                            0);
            run.run(root);
        } finally {
            threads.shutdownNow();
        }
        return new DryRunResult(workflow, tree, notes);
    }

    /** The run as far as it got, while it runs: unfinished nodes are Pending or Running. */
    public Optional<DryRunResult> sofar() {
        NodeTree current = tree;
        return current == null || current.root() == null
                ? Optional.empty()
                : Optional.of(new DryRunResult(workflow, current, notes));
    }

    /** Options of a dry run. */
    public static final class Builder {
        private final List<WorkflowDocument> documents;
        private Map<String, String> parameters = Map.of();
        private String entrypoint;
        private String namespace = "argo";
        private Stubs stubs = Stubs.none();
        private Path artifactDirectory;
        private int parallelism = 16;
        private ArgoSchema schema;
        private WorkflowLint lint;

        private Builder(List<WorkflowDocument> documents) {
            this.documents = List.copyOf(documents);
        }

        /** Global parameters ({@code -p} over the parameter file). */
        public Builder parameters(Map<String, String> values) {
            this.parameters = new LinkedHashMap<>(values);
            return this;
        }

        public Builder entrypoint(String name) {
            this.entrypoint = name;
            return this;
        }

        public Builder namespace(String name) {
            this.namespace = Objects.requireNonNull(name);
            return this;
        }

        public Builder stubs(Stubs value) {
            this.stubs = Objects.requireNonNull(value);
            return this;
        }

        /** Where artifacts are stored (required). */
        public Builder artifactDirectory(Path directory) {
            this.artifactDirectory = directory;
            return this;
        }

        /** How many leaf steps run at once. */
        public Builder parallelism(int value) {
            if (value < 1) {
                throw new IllegalArgumentException(
                        "%s must be at least 1".formatted(DryRunFlags.PARALLELISM));
            }
            this.parallelism = value;
            return this;
        }

        /** The schema to validate with; loaded from the jar when not given. */
        public Builder schema(ArgoSchema value) {
            this.schema = value;
            return this;
        }

        /**
         * Checks every document with this lint (schema, every plugin.wasm block, modules) instead
         * of the schema alone, so a bad block of a late step fails before the first step runs.
         */
        public Builder lint(WorkflowLint value) {
            this.lint = value;
            return this;
        }

        /**
         * Validates the documents against Argo's schema (or lints them), chooses the workflow and
         * checks it.
         *
         * @throws InvalidWorkflowException listing every problem, each naming document and field
         */
        public DryRun build() {
            Objects.requireNonNull(artifactDirectory, "artifactDirectory");
            List<String> problems = new ArrayList<>();
            List<String> warnings = List.of();
            if (lint != null) {
                WorkflowLint.Findings findings = lint.check(documents);
                problems.addAll(findings.problems());
                warnings = List.copyOf(findings.warnings());
            } else {
                ArgoSchema argo = schema == null ? ArgoSchema.load() : schema;
                for (WorkflowDocument document : documents) {
                    problems.addAll(argo.check(document));
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidWorkflowException(problems);
            }
            WorkflowDefinition workflow =
                    WorkflowDefinition.choose(documents, parameters, entrypoint, namespace);
            TemplateResolver resolver = new TemplateResolver(documents);
            List<String> notes = new WorkflowChecker(resolver, stubs).check(workflow);
            return new DryRun(this, workflow, resolver, notes, warnings);
        }
    }
}
