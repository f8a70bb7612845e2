package io.argowasm.exec;

import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.ExecuteTemplateReply;
import io.argowasm.argo.NodePhase;
import io.argowasm.argo.NodeResult;
import io.argowasm.argo.Template;
import io.argowasm.argo.WorkflowMetadata;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.budget.MemoryBudget;
import io.argowasm.exec.Invocations.InvocationRetention;
import io.argowasm.metrics.PluginMetrics;
import io.argowasm.metrics.PluginMetrics.Phase;
import io.argowasm.metrics.PluginMetrics.Reason;
import io.argowasm.metrics.PluginMetrics.RequestResult;
import io.argowasm.module.ModuleStore;
import io.argowasm.module.oci.PullSecrets;
import io.argowasm.wapc.GuestOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code plugin: wasm} templates and answers as Argo's agent expects. Every step-level problem
 * becomes a {@code Failed} node with a message for the user; nothing a template or a module does
 * escapes as an exception.
 *
 * <p>Argo gives each call 30 s and retries, with no node id in the request. So an invocation is
 * identified by its workflow and template ({@link InvocationKey}); one that runs longer than {@code
 * replyWithin} goes on in the background and the agent is told {@code Running} with a {@code
 * requeue}; later calls for the same invocation join it and eventually collect its result. No retry
 * or requeue ever starts a step twice.
 */
public final class TemplateExecutor implements AutoCloseable {

    public static final String PLUGIN_NAME = "wasm";

    private static final Logger log = LoggerFactory.getLogger(TemplateExecutor.class);
    private static final long GUEST_STACK_BYTES = 8L << 20;

    /** How often a stopped guest is interrupted again, for code that swallowed the interrupt. */
    private static final Duration REINTERRUPT_EVERY = Duration.ofMillis(500);

    /** How long {@link #close()} waits for stopped guests to clean up their workspaces. */
    private static final Duration CLEAN_UP_WITHIN = Duration.ofSeconds(10);

    private final Settings settings;
    private final WasmStep step;
    private final Semaphore slots;
    private final ExecutorService guests;
    private final ScheduledExecutorService timers;
    private final Invocations invocations;
    // Steps of start(): by node, never joined; those without a slot wait here in arrival order.
    private final Set<Invocation> started = ConcurrentHashMap.newKeySet();
    private final Queue<Runnable> waitingForSlot = new ConcurrentLinkedQueue<>();
    private final PluginMetrics metrics;
    private final StepTracer tracer;
    private final GuestLogArtifact logArtifact;
    private volatile boolean draining;

    private TemplateExecutor(
            Settings settings,
            WasmStep step,
            GuestLogArtifact logArtifact,
            PluginMetrics metrics,
            StepTracer tracer) {
        this.settings = settings;
        this.step = step;
        this.logArtifact = logArtifact;
        this.metrics = metrics;
        this.tracer = tracer;
        this.slots = new Semaphore(settings.maxConcurrent(), true);
        metrics.gauge(
                "wasm_executor_steps_in_flight",
                "guest slots in use",
                () -> settings.maxConcurrent() - slots.availablePermits());
        metrics.gauge(
                "wasm_executor_max_concurrent",
                "guest slots in all (%s)".formatted(ExecutorFlags.MAX_CONCURRENT),
                settings::maxConcurrent);
        MemoryBudget budget = settings.memoryBudget();
        metrics.memoryBudget(budget::capacity, budget::used, budget::refusals);
        this.invocations = new Invocations(settings.retention(), settings.memoryBudget());
        AtomicInteger threads = new AtomicInteger();
        this.guests =
                new ThreadPoolExecutor(
                        0,
                        Integer.MAX_VALUE,
                        60,
                        TimeUnit.SECONDS,
                        new SynchronousQueue<>(),
                        r -> {
                            Thread t =
                                    new Thread(
                                            null,
                                            r,
                                            "guest-" + threads.incrementAndGet(),
                                            GUEST_STACK_BYTES);
                            t.setDaemon(true);
                            return t;
                        });
        this.timers =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "invocation-timers");
                            t.setDaemon(true);
                            return t;
                        });
        timers.scheduleWithFixedDelay(
                () -> invocations.sweep(System.nanoTime()), 5, 5, TimeUnit.SECONDS);
    }

    public static Builder builder(JsonMapper json, ModuleStore modules) {
        return new Builder(json, modules);
    }

    /** Whether a template is ours: its {@code plugin} block has the key {@code wasm}. */
    public static boolean isWasmTemplate(Template template) {
        return template != null
                && template.plugin() != null
                && template.plugin().containsKey(PLUGIN_NAME);
    }

    /**
     * {@link #isWasmTemplate(Template)} for a template read as a JSON tree (a workflow file, a
     * request body before it is bound), so every front door decides it by the same rule.
     */
    public static boolean isWasmTemplate(JsonNode template) {
        return template != null && template.path("plugin").has(PLUGIN_NAME);
    }

    /** The memory budget steps are charged to; request bodies are charged to it too. */
    public MemoryBudget memoryBudget() {
        return settings.memoryBudget();
    }

    /** The metrics this executor records to; the server serves them. */
    public PluginMetrics metrics() {
        return metrics;
    }

    /** False once shutdown has begun: requests should then be turned away with a retryable 503. */
    public boolean accepting() {
        return !draining;
    }

    /**
     * Executes a {@code plugin: wasm} template, or joins the invocation already running for it;
     * templates of other plugins get the empty reply.
     */
    public ExecuteTemplateReply execute(ExecuteTemplateArgs args) {
        Template template = args.template();
        if (!isWasmTemplate(template)) {
            metrics.request(RequestResult.NOT_MINE);
            return ExecuteTemplateReply.NOT_MINE;
        }
        WorkflowMetadata metadata =
                args.workflow() == null
                        ? new WorkflowMetadata(null, null, null)
                        : args.workflow().metadataOrEmpty();
        StepContext context = StepContext.of(metadata, template.name());
        InvocationKey key = InvocationKey.of(context, template);
        Invocation known = invocations.find(key);
        if (known != null) {
            metrics.request(RequestResult.JOINED);
            return await(known);
        }
        WasmPluginSpec spec;
        try {
            spec = WasmPluginSpec.parse(template.plugin().get(PLUGIN_NAME), settings.limits());
            checkLogArtifact(template, spec);
        } catch (InvalidTemplateException e) {
            metrics.request(RequestResult.EXECUTED);
            NodeResult node =
                    step.failed(context, "invalid plugin.wasm: %s".formatted(e.getMessage()), null);
            StepLog.finished(context, null, null, null, node, Reason.TEMPLATE, 0);
            metrics.stepFinished(Phase.FAILED, Reason.TEMPLATE, 0);
            return ExecuteTemplateReply.of(node);
        }
        try {
            if (!slots.tryAcquire(settings.slotWait().toMillis(), TimeUnit.MILLISECONDS)) {
                metrics.request(RequestResult.BUSY);
                return new ExecuteTemplateReply(
                        new NodeResult(
                                NodePhase.Pending,
                                ("waiting for a free slot: all %s guest slots of the wasm"
                                                + " plugin are busy")
                                        .formatted(settings.maxConcurrent()),
                                null),
                        GoDuration.format(settings.requeue()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(context, "the sidecar is shutting down");
        }
        boolean storeLogs = storesLogs(spec);
        Invocation fresh =
                new Invocation(
                        key, context, WasmStep.describe(spec), settings.outputBudget(), storeLogs);
        if (storeLogs) {
            fresh.beforePublishing(node -> logArtifact.attach(fresh, node));
        }
        Invocation invocation = invocations.registerOrJoin(fresh);
        if (invocation != fresh) {
            metrics.request(RequestResult.JOINED);
            slots.release();
        } else {
            metrics.request(RequestResult.EXECUTED);
            invocation.traced(tracer.start(context, metadata.traceId(), invocation.startedNanos()));
            try {
                start(invocation, template, spec);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Closed between the server's accepting() check and now: nothing runs it.
                slots.release();
                invocation.stop(
                        step.failed(
                                context,
                                "%s was stopped: the sidecar shut down while it ran"
                                        .formatted(invocation.what()),
                                null),
                        Reason.SHUTDOWN);
            }
        }
        return await(invocation);
    }

    private boolean storesLogs(WasmPluginSpec spec) {
        return spec.logsOr(settings.guestLogs()) == GuestLogs.artifact;
    }

    /** The log artifact's name must not clash with an output the template declares. */
    private void checkLogArtifact(Template template, WasmPluginSpec spec)
            throws InvalidTemplateException {
        if (storesLogs(spec)
                && template.outputsOrEmpty().artifacts().stream()
                        .anyMatch(a -> GuestLogArtifact.NAME.equals(a.getName()))) {
            throw new InvalidTemplateException(
                    ("the guest's output is stored as output artifact '%s' (plugin.wasm.logs:"
                                    + " artifact, or %s artifact on the sidecar), and the template"
                                    + " declares an output of that name; rename it, or set"
                                    + " plugin.wasm.logs: log")
                            .formatted(GuestLogArtifact.NAME, ExecutorFlags.GUEST_LOGS));
        }
    }

    /**
     * Runs {@code task} on a thread of its own, so a timeout that stores the guest's output does
     * not hold up the timers; inline once the executor is closing.
     */
    private void aside(Runnable task) {
        try {
            guests.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    /**
     * Starts a {@code plugin: wasm} template as a step of its own, never joined with another: for
     * callers that know which node a step is (the long-lived agent keys steps by task set and node,
     * not by template). A step without a free guest slot waits for one in order of arrival, holding
     * no thread; the caller is never blocked.
     *
     * @param nodeId the node the step is, for its workspace's name
     */
    public StartedStep start(WorkflowMetadata metadata, String nodeId, Template template) {
        StepContext context = StepContext.of(metadata, template.name());
        WasmPluginSpec spec;
        try {
            spec = WasmPluginSpec.parse(template.plugin().get(PLUGIN_NAME), settings.limits());
            checkLogArtifact(template, spec);
        } catch (InvalidTemplateException e) {
            NodeResult node =
                    step.failed(context, "invalid plugin.wasm: %s".formatted(e.getMessage()), null);
            StepLog.finished(context, null, null, null, node, Reason.TEMPLATE, 0);
            metrics.stepFinished(Phase.FAILED, Reason.TEMPLATE, 0);
            Invocation refused = new Invocation(null, context, "plugin.wasm");
            refused.complete(node, Reason.TEMPLATE);
            return new StartedStep(refused, () -> {});
        }
        boolean storeLogs = storesLogs(spec);
        Invocation invocation =
                new Invocation(
                        InvocationKey.ofNode(context, nodeId),
                        context,
                        WasmStep.describe(spec),
                        settings.outputBudget(),
                        storeLogs);
        if (storeLogs) {
            invocation.beforePublishing(node -> logArtifact.attach(invocation, node));
        }
        metrics.request(RequestResult.EXECUTED);
        started.add(invocation);
        invocation.result().whenComplete((node, e) -> started.remove(invocation));
        if (draining) {
            invocation.stop(
                    step.failed(context, "the agent is shutting down", null), Reason.SHUTDOWN);
            return new StartedStep(invocation, () -> {});
        }
        waitingForSlot.add(
                () -> {
                    if (invocation.decided()) {
                        slots.release(); // stopped while it waited
                        return;
                    }
                    invocation.traced(
                            tracer.start(context, metadata.traceId(), invocation.startedNanos()));
                    start(invocation, template, spec);
                });
        admitWaiting();
        return new StartedStep(invocation, this::admitWaiting);
    }

    /** Starts waiting steps while guest slots are free. */
    private void admitWaiting() {
        while (!waitingForSlot.isEmpty() && slots.tryAcquire()) {
            Runnable next = waitingForSlot.poll();
            if (next == null) {
                slots.release();
                return;
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                slots.release();
                throw e;
            }
        }
    }

    private void start(Invocation invocation, Template template, WasmPluginSpec spec) {
        ScheduledFuture<?> deadline =
                timers.schedule(
                        () ->
                                aside(
                                        () -> {
                                            invocation.stop(
                                                    step.failed(
                                                            invocation.step(),
                                                            "%s timed out after %s (plugin.wasm.limits.timeout)"
                                                                    .formatted(
                                                                            invocation.what(),
                                                                            GoDuration.format(
                                                                                    spec
                                                                                            .timeout())),
                                                            invocation.output()),
                                                    Reason.TIMEOUT);
                                            keepInterrupting(invocation);
                                        }),
                        spec.timeout().toNanos(),
                        TimeUnit.NANOSECONDS);
        invocation
                .result()
                .whenComplete(
                        (node, e) -> {
                            deadline.cancel(false);
                            finished(invocation, spec, node);
                        });
        invocation.runsAs(
                GuestTask.start(
                        guests,
                        () -> {
                            try {
                                step.run(invocation, template, spec);
                            } finally {
                                slots.release();
                                if (!waitingForSlot.isEmpty()) {
                                    admitWaiting();
                                }
                            }
                        }));
    }

    /** Records a finished invocation: its metrics and its one log line. */
    private void finished(Invocation invocation, WasmPluginSpec spec, NodeResult node) {
        Reason reason = invocation.reason() == null ? Reason.INTERNAL : invocation.reason();
        long nanos = System.nanoTime() - invocation.startedNanos();
        Phase phase =
                node == null
                        ? Phase.FAILED
                        : switch (node.phase()) {
                            case Succeeded -> Phase.SUCCEEDED;
                            case Pending -> Phase.PENDING;
                            default -> Phase.FAILED;
                        };
        metrics.stepFinished(phase, reason, nanos);
        metrics.guestLinesDropped(invocation.output().droppedLines());
        StepLog.finished(
                invocation.step(),
                spec,
                invocation.moduleSha256(),
                invocation.kind(),
                node,
                reason,
                nanos);
        if (invocation.span() == StepTracer.NO_SPAN) {
            return; // tracing is off: no attributes to build
        }
        invocation
                .span()
                .end(
                        Map.of(
                                "wasm.module",
                                spec.module().describe(),
                                "wasm.module.sha256",
                                String.valueOf(invocation.moduleSha256()),
                                "wasm.operation",
                                spec.operation(),
                                "argo.node.phase",
                                phase.label(),
                                "wasm.reason",
                                reason.label()));
    }

    /**
     * Interrupts a stopped invocation's guest thread again and again until it has ended, so a stop
     * holds even when some code swallowed an interrupt.
     */
    private void keepInterrupting(Invocation invocation) {
        GuestTask task = invocation.task();
        if (task == null || task.finished()) {
            return;
        }
        task.interrupt();
        try {
            timers.schedule(
                    () -> keepInterrupting(invocation),
                    REINTERRUPT_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing: close() waits for the guest threads itself.
        }
    }

    /** Waits a while for an invocation's result; past that, tells the agent to ask again. */
    private ExecuteTemplateReply await(Invocation invocation) {
        invocation.polled();
        try {
            NodeResult result =
                    invocation.result().get(settings.replyWithin().toNanos(), TimeUnit.NANOSECONDS);
            invocations.delivered(invocation, result);
            if (result.phase() == NodePhase.Pending) {
                return new ExecuteTemplateReply(result, GoDuration.format(settings.requeue()));
            }
            return ExecuteTemplateReply.of(result);
        } catch (TimeoutException e) {
            long seconds = (System.nanoTime() - invocation.startedNanos()) / 1_000_000_000L;
            return new ExecuteTemplateReply(
                    new NodeResult(
                            NodePhase.Running,
                            "%s still running after %ss".formatted(invocation.what(), seconds),
                            null),
                    GoDuration.format(settings.requeue()));
        } catch (ExecutionException e) {
            log.error("[{}] invocation ended abnormally", invocation.step().describe(), e);
            return failed(
                    invocation.step(),
                    "%s failed unexpectedly: %s".formatted(invocation.what(), e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(invocation.step(), "the sidecar is shutting down");
        }
    }

    private ExecuteTemplateReply failed(StepContext context, String message) {
        return ExecuteTemplateReply.of(step.failed(context, message, null));
    }

    /**
     * Stops taking work, lets running invocations finish within the grace period, then stops the
     * rest: their waiting requests are answered {@code Failed}.
     */
    public void shutdown(Duration grace) {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        for (Invocation running : running()) {
            try {
                running.result()
                        .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Past the grace period: close() stops it with the others still running.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    @Override
    public void close() {
        draining = true;
        for (Invocation running : running()) {
            running.stop(
                    step.failed(
                            running.step(),
                            "%s was stopped: the sidecar shut down while it ran"
                                    .formatted(running.what()),
                            running.output()),
                    Reason.SHUTDOWN);
        }
        timers.shutdownNow();
        guests.shutdownNow();
        try {
            // Stopped guests end within moments; their workspaces are removed as they do.
            if (!guests.awaitTermination(CLEAN_UP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "some guests did not stop within {}s of being interrupted",
                        CLEAN_UP_WITHIN.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Agent pods are short-lived: whatever spans are buffered go now.
        tracer.close();
    }

    /** Every invocation without a result: the sidecar's and those of {@link #start}. */
    private List<Invocation> running() {
        List<Invocation> all = new ArrayList<>(invocations.running());
        all.addAll(started);
        return all;
    }

    /** Runs the periodic clean-up now; for tests. */
    void sweepNow() {
        invocations.sweep(System.nanoTime());
    }

    /** Invocations known right now, running or waiting to be collected; for tests and metrics. */
    int knownInvocations() {
        return invocations.size();
    }

    /**
     * How the executor behaves.
     *
     * @param limits per-invocation defaults and maxima
     * @param maxConcurrent guests running at once
     * @param slotWait how long a request waits for a free slot before answering {@code Pending}
     * @param replyWithin how long a request waits for its result before answering {@code Running}
     * @param requeue the delay after which the agent is asked to call again
     */
    record Settings(
            ExecutionLimits limits,
            int maxConcurrent,
            Duration slotWait,
            Duration replyWithin,
            Duration requeue,
            InvocationRetention retention,
            GuestOutput.Budget outputBudget,
            MemoryBudget memoryBudget,
            GuestLogs guestLogs) {}

    /** What a WASI command may hold in files it writes unless told otherwise: 64 MiB. */
    public static final long DEFAULT_MAX_GUEST_FILE_BYTES = 64L << 20;

    /** Collects the executor's settings. */
    public static final class Builder {
        private final JsonMapper json;
        private final ModuleStore modules;
        private ExecutionLimits limits = ExecutionLimits.DEFAULTS;
        private int maxConcurrent = 16;
        private Duration slotWait = Duration.ofSeconds(5);
        private Duration replyWithin = Duration.ofSeconds(20);
        private Duration requeue = Duration.ofSeconds(5);
        private InvocationRetention retention = InvocationRetention.DEFAULTS;
        private ArtifactWorkspaces artifacts;
        private PayloadLimits payloadLimits = PayloadLimits.DEFAULTS;
        private GuestOutput.Budget outputBudget = GuestOutput.Budget.DEFAULT;
        private MemoryBudget memoryBudget = MemoryBudget.unlimited();
        private PluginMetrics metrics;
        private StepTracer tracer = StepTracer.NONE;
        private HttpCapability.Rules http = HttpCapability.Rules.OFF;
        private long maxGuestFileBytes = DEFAULT_MAX_GUEST_FILE_BYTES;
        private GuestLogs guestLogs = GuestLogs.log;
        private PullSecrets pullSecrets = PullSecrets.NONE;

        private Builder(JsonMapper json, ModuleStore modules) {
            this.json = json;
            this.modules = modules;
        }

        public Builder limits(ExecutionLimits limits) {
            this.limits = limits;
            return this;
        }

        public Builder maxConcurrent(int maxConcurrent) {
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException("at least one guest must be allowed to run");
            }
            this.maxConcurrent = maxConcurrent;
            return this;
        }

        public Builder slotWait(Duration slotWait) {
            this.slotWait = slotWait;
            return this;
        }

        /** Keep this well under Argo's 30 s per call. */
        public Builder replyWithin(Duration replyWithin) {
            this.replyWithin = replyWithin;
            return this;
        }

        public Builder requeue(Duration requeue) {
            this.requeue = requeue;
            return this;
        }

        /** Where steps stage their artifacts; without it, a template with artifacts fails. */
        public Builder artifacts(ArtifactWorkspaces artifacts) {
            this.artifacts = artifacts;
            return this;
        }

        /** Caps on parameters in and out and on the guest's response. */
        public Builder payloadLimits(PayloadLimits payloadLimits) {
            this.payloadLimits = payloadLimits;
            return this;
        }

        /** What one invocation may send to the log of the guest's output. */
        public Builder outputBudget(GuestOutput.Budget outputBudget) {
            this.outputBudget = outputBudget;
            return this;
        }

        /** What kept results are charged to; the same budget the module store charges. */
        public Builder memoryBudget(MemoryBudget memoryBudget) {
            this.memoryBudget = memoryBudget;
            return this;
        }

        /** Where invocations are counted and timed; without it, nobody reads them. */
        public Builder metrics(PluginMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /** What HTTP guests may make; none unless set. */
        public Builder http(HttpCapability.Rules http) {
            this.http = http;
            return this;
        }

        /** What a WASI command may hold in files it writes, in bytes. */
        public Builder maxGuestFileBytes(long maxGuestFileBytes) {
            this.maxGuestFileBytes = maxGuestFileBytes;
            return this;
        }

        /** Where invocations are traced; {@link StepTracer#NONE} unless set. */
        public Builder tracer(StepTracer tracer) {
            this.tracer = tracer;
            return this;
        }

        /** Where guest output goes for templates whose {@code plugin.wasm.logs} does not say. */
        public Builder guestLogs(GuestLogs guestLogs) {
            this.guestLogs = guestLogs;
            return this;
        }

        /**
         * Where steps' registry logins come from in a cluster; {@link PullSecrets#NONE} (the Docker
         * config only) unless set.
         */
        public Builder pullSecrets(PullSecrets pullSecrets) {
            this.pullSecrets = pullSecrets;
            return this;
        }

        Builder retention(InvocationRetention retention) {
            this.retention = retention;
            return this;
        }

        public TemplateExecutor build() {
            Settings settings =
                    new Settings(
                            limits,
                            maxConcurrent,
                            slotWait,
                            replyWithin,
                            requeue,
                            retention,
                            outputBudget,
                            memoryBudget,
                            guestLogs);
            PluginMetrics recorded = metrics == null ? PluginMetrics.unregistered() : metrics;
            return new TemplateExecutor(
                    settings,
                    new WasmStep(
                            json,
                            modules,
                            artifacts,
                            payloadLimits,
                            recorded,
                            new HttpCapability(http, json, recorded),
                            maxGuestFileBytes,
                            pullSecrets),
                    new GuestLogArtifact(json, artifacts, recorded),
                    recorded,
                    tracer);
        }
    }
}
