package io.argowasm.agent;

import io.argowasm.argo.NodeResult;
import io.argowasm.exec.GoDuration;
import io.argowasm.exec.TemplateExecutor;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The long-lived agent: serves the WorkflowTaskSets Argo's controller writes when it creates no
 * agent pods ({@code disableAgentPodCreation}, Argo 4.1 and later).
 *
 * <p>One informer watches the task sets; its handler only queues their keys. A few workers
 * reconcile each queued task set against the informer's copy: tasks that left {@code spec.tasks}
 * are stopped and forgotten, and each task of ours with no final result starts once, keyed by
 * (task-set uid, node id). Each result is written as soon as it is known ({@link ResultWriter}).
 * With several replicas, each serves only the task sets of the shards it holds ({@link
 * ShardOwnership}).
 */
public final class TaskSetAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskSetAgent.class);

    /** A task whose result is written (or was there already): kept until its node leaves spec. */
    private static final Object DONE = new Object();

    private final KubernetesClient client;
    private final AgentSettings settings;
    private final TaskRunner wasm;
    private final TaskRunner http;
    private final ShardOwnership shards;
    private final ResultWriter writer;
    private final WorkQueue queue = new WorkQueue();
    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers =
            new ConcurrentHashMap<>();
    private final Map<TaskSetKey, Tracked> tracked = new ConcurrentHashMap<>();
    private final Map<TaskSetKey, Set<String>> departed = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final ExecutorService writers;
    private final ScheduledExecutorService timers;
    private final AtomicLong written = new AtomicLong();
    // Results on their way to the API server: a shutdown waits for these, not just for the steps.
    private final Set<CompletableFuture<NodeResult>> deliveries = ConcurrentHashMap.newKeySet();
    private volatile boolean admitting = true;
    private volatile boolean delivering = true;

    /** The tasks of one task set this replica started or saw answered, by node id. */
    private record Tracked(String uid, Map<String, Object> tasks) {
        Tracked(String uid) {
            this(uid, new ConcurrentHashMap<>());
        }
    }

    /**
     * An agent running wasm tasks with {@code executor}.
     *
     * @param http runs HTTP tasks; null leaves them to another agent
     */
    public static TaskSetAgent create(
            KubernetesClient client,
            AgentSettings settings,
            TemplateExecutor executor,
            HttpTasks http,
            ShardOwnership shards) {
        return new TaskSetAgent(client, settings, new WasmTasks(executor), http, shards);
    }

    /**
     * @param wasm runs {@code plugin: wasm} tasks
     * @param http runs HTTP tasks; null leaves them to another agent
     */
    TaskSetAgent(
            KubernetesClient client,
            AgentSettings settings,
            TaskRunner wasm,
            TaskRunner http,
            ShardOwnership shards) {
        this.client = client;
        this.settings = settings;
        this.wasm = wasm;
        this.http = http;
        this.shards = shards;
        this.writer = new ResultWriter(client, this::cached);
        this.workers = Executors.newFixedThreadPool(settings.workers(), named("taskset-reconcile"));
        this.writers = Executors.newFixedThreadPool(settings.writers(), named("taskset-write"));
        this.timers = Executors.newSingleThreadScheduledExecutor(named("taskset-requeue"));
    }

    /** Starts watching, taking shards and working; returns at once. */
    public void start() {
        String selector = TaskSet.labelSelector(settings.instanceId());
        if (settings.namespaces().isEmpty()) {
            informers.put("", inform(selector, null));
        } else {
            for (String namespace : settings.namespaces()) {
                informers.put(namespace, inform(selector, namespace));
            }
        }
        for (int i = 0; i < settings.workers(); i++) {
            workers.execute(this::work);
        }
        shards.start(this::shardGained, this::busy);
    }

    private SharedIndexInformer<GenericKubernetesResource> inform(
            String selector, String namespace) {
        var resources = client.genericKubernetesResources(TaskSet.CONTEXT);
        var scoped =
                namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace);
        SharedIndexInformer<GenericKubernetesResource> informer =
                scoped.withLabelSelector(selector).runnableInformer(settings.resync().toMillis());
        informer.addEventHandler(new Handler());
        informer.start();
        return informer;
    }

    /** True once every informer has listed its task sets: the readiness of the agent. */
    public boolean synced() {
        return !informers.isEmpty()
                && informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** Results written by this replica so far. */
    public long resultsWritten() {
        return written.get();
    }

    /** Tasks running in this replica now. */
    public int running() {
        int n = 0;
        for (Tracked t : tracked.values()) {
            for (Object task : t.tasks().values()) {
                if (task instanceof RunningTask) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Queues a task set's key, and notes which of its tasks left spec meanwhile. */
    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        @Override
        public void onAdd(GenericKubernetesResource obj) {
            queue.add(keyOf(obj));
        }

        @Override
        public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource now) {
            TaskSetKey key = keyOf(now);
            // A node removed and added back between two reconciles (argo retry) must run again:
            // remember the removal, which the cache alone no longer shows.
            Set<String> gone = new HashSet<>(taskIds(old));
            gone.removeAll(taskIds(now));
            if (!gone.isEmpty() || !Objects.equals(uidOf(old), uidOf(now))) {
                departed.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).addAll(gone);
            }
            queue.add(key);
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean unknownFinalState) {
            // Deleted, or completed=true (which leaves the selector): forget it all, so a retried
            // workflow whose task set comes back runs its retried nodes again.
            queue.add(keyOf(obj));
        }
    }

    private static TaskSetKey keyOf(GenericKubernetesResource obj) {
        return new TaskSetKey(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }

    private static String uidOf(GenericKubernetesResource obj) {
        return obj == null || obj.getMetadata() == null ? null : obj.getMetadata().getUid();
    }

    /** The node ids in {@code spec.tasks}, without walking the templates. */
    private static Set<String> taskIds(GenericKubernetesResource obj) {
        if (obj == null
                || !(obj.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)
                || !(spec.get("tasks") instanceof Map<?, ?> tasks)) {
            return Set.of();
        }
        Set<String> ids = new HashSet<>();
        tasks.forEach(
                (id, template) -> {
                    if (template != null) {
                        ids.add(String.valueOf(id));
                    }
                });
        return ids;
    }

    private GenericKubernetesResource cached(TaskSetKey key) {
        SharedIndexInformer<GenericKubernetesResource> informer = informers.get("");
        if (informer == null) {
            informer = informers.get(key.namespace());
        }
        return informer == null ? null : informer.getStore().getByKey(key.cacheKey());
    }

    private void work() {
        try {
            TaskSetKey key;
            while ((key = queue.take()) != null) {
                try {
                    reconcile(key);
                } catch (RuntimeException e) {
                    log.error("[{}] reconcile failed", key, e);
                } finally {
                    queue.done(key);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reconcile(TaskSetKey key) {
        Set<String> gone = departed.remove(key);
        GenericKubernetesResource resource = cached(key);
        TaskSet taskSet = resource == null ? null : TaskSet.of(resource);
        Tracked known = tracked.get(key);
        if (taskSet == null || taskSet.completed() || !allowed(taskSet.namespace())) {
            if (known != null) {
                forget(key, known, "its workflow completed or its task set was deleted");
            }
            return;
        }
        if (known != null && !known.uid().equals(taskSet.uid())) {
            forget(key, known, "its task set was replaced");
            known = null;
        }
        if (known != null) {
            if (gone != null) {
                for (String node : gone) {
                    stop(known, node);
                }
            }
            for (String node : List.copyOf(known.tasks().keySet())) {
                if (!taskSet.tasks().containsKey(node)) {
                    stop(known, node);
                }
            }
        }
        if (!admitting || !shards.owns(Shards.of(taskSet.uid(), settings.shards()))) {
            return;
        }
        Tracked tasks = known != null ? known : new Tracked(taskSet.uid());
        for (Map.Entry<String, JsonNode> task : taskSet.tasks().entrySet()) {
            String node = task.getKey();
            if (tasks.tasks().containsKey(node)) {
                continue;
            }
            if (taskSet.answered(node)) {
                tasks.tasks().put(node, DONE); // a restart or handover: never run it again
                continue;
            }
            TaskRunner runner = runnerFor(TaskKind.of(task.getValue()));
            if (runner != null) {
                launch(taskSet, tasks, node, runner, task.getValue());
            }
        }
        if (known == null && !tasks.tasks().isEmpty()) {
            tracked.put(key, tasks);
        }
    }

    private TaskRunner runnerFor(TaskKind kind) {
        return switch (kind.kind()) {
            case WASM -> wasm;
            case HTTP -> http;
            case OTHER_PLUGIN ->
                    settings.failOtherPlugins()
                            ? (taskSet, node, template) ->
                                    RunningTask.finished(
                                            NodeResult.failed(
                                                    ("no agent serves plugin '%s': this agent runs"
                                                                    + " only plugin 'wasm'"
                                                                    + " (--fail-other-plugins);"
                                                                    + " install an agent for '%s'"
                                                                    + " or remove the flag")
                                                            .formatted(
                                                                    kind.plugin(), kind.plugin())))
                            : null;
            case UNKNOWN -> null;
        };
    }

    private boolean allowed(String namespace) {
        return settings.namespaces().isEmpty() || settings.namespaces().contains(namespace);
    }

    private void launch(
            TaskSet taskSet, Tracked tasks, String node, TaskRunner runner, JsonNode template) {
        RunningTask task;
        try {
            task = runner.start(taskSet, node, template);
        } catch (RuntimeException e) {
            log.error("[{}] node {} could not be started", taskSet.key(), node, e);
            task =
                    RunningTask.finished(
                            NodeResult.failed(
                                    "the agent could not start the task: %s".formatted(e)));
        }
        tasks.tasks().put(node, task);
        RunningTask started = task;
        TaskSetKey key = taskSet.key();
        CompletableFuture<NodeResult> delivered =
                task.result()
                        .whenCompleteAsync(
                                (result, error) -> deliver(key, tasks, node, started, result),
                                writers);
        deliveries.add(delivered);
        delivered.whenComplete((result, error) -> deliveries.remove(delivered));
    }

    private void deliver(
            TaskSetKey key, Tracked tasks, String node, RunningTask task, NodeResult result) {
        if (!delivering || tasks.tasks().get(node) != task) {
            return; // stopped: the node left spec, or this replica is going away
        }
        if (result == null || !TaskSet.TERMINAL_PHASES.contains(result.phase().name())) {
            // Pending (other steps hold the memory budget): run it again a little later.
            timers.schedule(
                    () -> {
                        if (tasks.tasks().remove(node, task)) {
                            queue.add(key);
                        }
                    },
                    settings.requeue().toMillis(),
                    TimeUnit.MILLISECONDS);
            return;
        }
        try {
            ResultWriter.Outcome outcome;
            // One write at a time per task set: concurrent ones of one replica would only make
            // each other fail with 409.
            synchronized (tasks) {
                outcome = writer.write(key, tasks.uid(), node, result);
            }
            if (outcome == ResultWriter.Outcome.WRITTEN) {
                written.incrementAndGet();
            } else {
                log.debug("[{}] result of node {} not written: {}", key, node, outcome);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("[{}] result of node {} not written", key, node, e);
        }
        tasks.tasks().replace(node, task, DONE);
    }

    private void stop(Tracked tasks, String node) {
        Object task = tasks.tasks().remove(node);
        if (task instanceof RunningTask running && !running.result().isDone()) {
            running.stop().accept("its node left the task set (stopped, timed out or retried)");
        }
    }

    private void forget(TaskSetKey key, Tracked tasks, String why) {
        tracked.remove(key, tasks);
        writer.forget(key);
        for (Object task : tasks.tasks().values()) {
            if (task instanceof RunningTask running && !running.result().isDone()) {
                running.stop().accept(why);
            }
        }
        tasks.tasks().clear();
    }

    /** Whether a task of the shard runs here now. */
    private boolean busy(int shard) {
        for (Tracked t : tracked.values()) {
            if (Shards.of(t.uid(), settings.shards()) == shard
                    && t.tasks().values().stream().anyMatch(RunningTask.class::isInstance)) {
                return true;
            }
        }
        return false;
    }

    /** A shard became this replica's: its task sets are looked at again. */
    private void shardGained(int shard) {
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers.values()) {
            for (GenericKubernetesResource r : informer.getStore().list()) {
                String uid = uidOf(r);
                if (uid != null && Shards.of(uid, settings.shards()) == shard) {
                    queue.add(keyOf(r));
                }
            }
        }
    }

    /**
     * Stops taking work, lets running tasks finish and their results be written within {@code
     * grace}, then gives the shards back so other replicas take them at once. Tasks still running
     * after that are left unwritten: the replica that takes their shard runs them.
     */
    public void shutdown(Duration grace) {
        admitting = false;
        long deadline = System.nanoTime() + grace.toNanos();
        List<CompletableFuture<NodeResult>> pending = List.copyOf(deliveries);
        log.info(
                "stopping: {} running tasks may finish and be written for up to {}",
                pending.size(),
                GoDuration.format(grace));
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(grace.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.warn("stopping: some tasks did not finish within {}", GoDuration.format(grace));
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
        writers.shutdown();
        try {
            writers.awaitTermination(
                    Math.max(1_000_000_000L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** Stops at once: nothing more is written, the shards are given back. */
    @Override
    public void close() {
        admitting = false;
        delivering = false;
        queue.close();
        informers.values().forEach(SharedIndexInformer::stop);
        shards.close();
        workers.shutdownNow();
        writers.shutdownNow();
        timers.shutdownNow();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
