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

/**
 * Everything one dry run shares while its templates execute: the workflow, the node tree, the
 * plugin client, stubs, the artifact directory, and the threads. Dispatches each template to the
 * runner of its kind.
 */
final class WorkflowRun {

    final WorkflowDefinition workflow;
    final TemplateResolver resolver;
    final NodeTree tree;
    final PluginClient plugin;
    final Stubs stubs;
    final LocalArtifactStore store;
    final Scope globals;
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
            Node node = create(invocation, nodeType(kind));
            tree.finish(node, NodePhase.Error, e.getMessage());
            return node;
        }
        return runnerFor(kind).run(invocation, bound);
    }

    private TemplateRunner runnerFor(TemplateKind kind) {
        return switch (kind) {
            case STEPS -> new StepsRunner(this);
            case DAG -> new DagRunner(this);
            case WASM -> new WasmStepRunner(this);
            case SUSPEND -> new SuspendRunner(this);
            default -> new StubRunner(this);
        };
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
