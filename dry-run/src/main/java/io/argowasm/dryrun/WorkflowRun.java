package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import io.argowasm.artifacts.WorkflowRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import tools.jackson.databind.JsonNode;

/**
 * Everything one dry run shares while its templates execute: the workflow, the node tree, the
 * plugin client, stubs, the artifact directory, and the threads. Dispatches each template to the
 * runner of its kind.
 *
 * <p>It owns its collaborators and hands each runner only what it needs: every runner reaches the
 * node tree ({@link #open}, {@link #finish}, {@link #tree}), the threads and the template resolver;
 * only {@link WasmStepRunner} gets the plugin client, only {@link StubRunner} the stubs and the
 * artifact directory.
 */
final class WorkflowRun {

    private final WorkflowDefinition workflow;
    private final TemplateResolver resolver;
    private final NodeTree tree;
    private final PluginClient plugin;
    private final Stubs stubs;
    private final LocalArtifactStore store;
    private final Scope globals;
    private final ExecutorService threads;
    private final Semaphore leafSlots;

    WorkflowRun(
            WorkflowDefinition workflow,
            TemplateResolver resolver,
            NodeTree tree,
            PluginClient plugin,
            Stubs stubs,
            LocalArtifactStore store,
            ExecutorService threads,
            int parallelism) {
        this.workflow = workflow;
        this.resolver = resolver;
        this.tree = tree;
        this.plugin = plugin;
        this.stubs = stubs;
        this.store = store;
        this.threads = threads;
        this.leafSlots = new Semaphore(parallelism, true);
        Scope scope =
                Scope.empty()
                        .with("workflow.name", workflow.name())
                        .with("workflow.namespace", workflow.namespace())
                        .with("workflow.uid", workflow.uid());
        Map<String, String> params = new LinkedHashMap<>();
        workflow.parameters().forEach((k, v) -> params.put("workflow.parameters." + k, v));
        this.globals = scope.with(params);
    }

    WorkflowRef workflowRef() {
        return new WorkflowRef(workflow.name(), workflow.namespace(), workflow.uid());
    }

    /** Runs a template and returns its finished node; problems end the node, never throw. */
    Node run(TemplateCall invocation) {
        ResolvedTemplate resolved = invocation.template();
        TemplateKind kind = resolved.kind();
        BoundTemplate bound;
        try {
            bound = BoundTemplate.bind(resolved, invocation.arguments(), globals);
        } catch (NodeErrorException | UnresolvedVariableException e) {
            return finish(create(invocation, nodeType(kind)), NodePhase.Error, e.getMessage());
        }
        return runnerFor(kind).run(invocation, bound);
    }

    private TemplateRunner runnerFor(TemplateKind kind) {
        return switch (kind) {
            case STEPS -> new StepsRunner(this);
            case DAG -> new DagRunner(this);
            case WASM -> new WasmStepRunner(this, plugin);
            case SUSPEND -> new SuspendRunner(this);
            default -> new StubRunner(this, stubs, store);
        };
    }

    /** The tree every node of this run goes into. */
    NodeTree tree() {
        return tree;
    }

    /** Creates an invocation's node with its inputs and starts it. */
    Node open(TemplateCall invocation, NodeType type, BoundTemplate bound) {
        Node node = create(invocation, type);
        node.inputs(bound.inputs());
        tree.start(node);
        return node;
    }

    /** Ends a node and returns it, so a runner can return what it ends. */
    Node finish(Node node, NodePhase phase, String message) {
        tree.finish(node, phase, message);
        return node;
    }

    /** The template a step or task calls, resolved in the document holding the step. */
    ResolvedTemplate resolve(WorkflowDocument caller, JsonNode step, String where) {
        return resolver.forStep(caller, step, where);
    }

    Node create(TemplateCall invocation, NodeType type) {
        if (invocation.parent() == null) {
            return tree.createRoot(type, invocation.template().name());
        }
        return tree.create(
                invocation.parent(),
                invocation.name(),
                invocation.displayName(),
                type,
                invocation.template().name(),
                invocation.order());
    }

    /** Runs work on the run's threads. */
    <T> Future<T> submit(Callable<T> work) {
        return threads.submit(work);
    }

    /** Runs a leaf's call while holding one of the {@code --parallelism} slots. */
    <T> T inLeafSlot(Callable<T> call) throws Exception {
        leafSlots.acquire();
        try {
            return call.call();
        } finally {
            leafSlots.release();
        }
    }

    /** Waits for every future, in order. */
    static <T> List<T> all(List<Future<T>> futures) {
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            try {
                results.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeErrorException("the dry run was interrupted");
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "a step's runner failed unexpectedly", e.getCause());
            }
        }
        return results;
    }

    /** The directory of the file a document came from, for {@code module.file} paths. */
    static Path directoryOf(WorkflowDocument document) {
        Path source = Path.of(document.source()).toAbsolutePath();
        return source.getParent();
    }

    static NodeType nodeType(TemplateKind kind) {
        return switch (kind) {
            case STEPS -> NodeType.Steps;
            case DAG -> NodeType.DAG;
            case WASM, OTHER_PLUGIN -> NodeType.Plugin;
            case SUSPEND -> NodeType.Suspend;
            default -> NodeType.Pod;
        };
    }
}
