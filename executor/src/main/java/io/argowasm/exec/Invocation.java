package io.argowasm.exec;

import io.argowasm.argo.NodeResult;
import io.argowasm.metrics.PluginMetrics.Reason;
import io.argowasm.wapc.GuestOutput;
import io.argowasm.wapc.ModuleKind;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a template, from its first request until its result has been collected. Later requests
 * for the same key (Argo's retries and requeues) join it instead of starting it again.
 */
final class Invocation {

    private static final Logger log = LoggerFactory.getLogger(Invocation.class);
    private static final int KEPT_OUTPUT_LINES = 5;

    private final InvocationKey key;
    private final StepContext step;
    private final String what;
    private final long startedNanos = System.nanoTime();
    private final CompletableFuture<NodeResult> result = new CompletableFuture<>();
    private volatile long lastPolledNanos = startedNanos;
    private volatile long finishedNanos;
    private volatile long deliveredNanos;
    private final GuestOutput output;
    private volatile GuestTask task;
    private volatile Reason reason;
    private volatile String moduleSha256;
    private volatile ModuleKind kind;
    private volatile StepTracer.StepSpan span = StepTracer.NO_SPAN;
    private boolean forgotten;
    private long keptBytes;
    private boolean decided;
    private volatile UnaryOperator<NodeResult> beforePublishing = UnaryOperator.identity();

    Invocation(InvocationKey key, StepContext step, String what) {
        this(key, step, what, GuestOutput.Budget.DEFAULT, false);
    }

    /**
     * @param keepTranscript whether the guest's whole output (within the budget) is kept, to be
     *     stored as the step's log artifact
     */
    Invocation(
            InvocationKey key,
            StepContext step,
            String what,
            GuestOutput.Budget outputBudget,
            boolean keepTranscript) {
        this.key = key;
        this.step = step;
        this.what = what;
        this.output =
                new GuestOutput(
                        KEPT_OUTPUT_LINES,
                        (stream, text) ->
                                log.atInfo()
                                        .addKeyValue("source", "guest")
                                        .addKeyValue("stream", stream.name())
                                        .addKeyValue("namespace", step.namespace())
                                        .addKeyValue("workflow", step.workflow())
                                        .addKeyValue("template", step.template())
                                        .log(text),
                        outputBudget,
                        keepTranscript);
        result.whenComplete((r, e) -> finishedNanos = System.nanoTime());
    }

    InvocationKey key() {
        return key;
    }

    StepContext step() {
        return step;
    }

    /** How messages name what runs: module and operation. */
    String what() {
        return what;
    }

    CompletableFuture<NodeResult> result() {
        return result;
    }

    void runsAs(GuestTask task) {
        this.task = task;
    }

    /**
     * Charges the finished result's heap while it is kept, unless the invocation was already
     * forgotten; delivered results of other steps are dropped first if the budget is short.
     */
    void keepResult(io.argowasm.budget.MemoryBudget budget, long bytes) {
        try {
            budget.charge(bytes, "a finished step's result");
        } catch (io.argowasm.budget.OutOfBudgetException e) {
            budget.chargeAnyway(bytes); // made already: it must not be lost
        }
        synchronized (this) {
            if (forgotten) {
                budget.release(bytes);
            } else {
                keptBytes = bytes;
            }
        }
    }

    /** Gives the kept result's heap back; the invocation is no longer known. */
    synchronized void forget(io.argowasm.budget.MemoryBudget budget) {
        forgotten = true;
        budget.release(keptBytes);
        keptBytes = 0;
    }

    /** The guest thread's task, or null before it started. */
    GuestTask task() {
        return task;
    }

    /**
     * What is done to the decided result before it is published, on the thread that decided it:
     * storing the guest's output as an artifact, when asked for.
     */
    void beforePublishing(UnaryOperator<NodeResult> step) {
        this.beforePublishing = step;
    }

    /** Ends the invocation with the guest's own result, unless it was already stopped. */
    void complete(NodeResult node, Reason why) {
        if (decide(why)) {
            publish(node);
        }
    }

    /**
     * Ends the invocation from outside (a timeout, a shutdown) unless it already has a result, and
     * interrupts the guest if it is still running.
     */
    void stop(NodeResult node, Reason why) {
        if (decide(why)) {
            GuestTask running = task;
            if (running != null) {
                running.interrupt();
            }
            publish(node);
        }
    }

    /**
     * Whether the result is decided; it may still be on its way out (see {@link
     * #beforePublishing}), and a guest must not start once it is.
     */
    synchronized boolean decided() {
        return decided;
    }

    /** Claims the result for one caller and sets its reason, unless it is already claimed. */
    private synchronized boolean decide(Reason why) {
        if (decided) {
            return false;
        }
        decided = true;
        reason = why;
        return true;
    }

    private void publish(NodeResult node) {
        NodeResult published = node;
        try {
            published = beforePublishing.apply(node);
        } catch (RuntimeException e) {
            // The step's own result must reach the agent whatever went wrong on top of it.
            log.error("[{}] could not complete the step's result", step.describe(), e);
        }
        result.complete(published);
    }

    /** The invocation's trace span; {@link StepTracer#NO_SPAN} when tracing is off. */
    StepTracer.StepSpan span() {
        return span;
    }

    void traced(StepTracer.StepSpan span) {
        this.span = span;
    }

    /** Notes the digest of the module that runs, for the log line of the finished step. */
    void runs(String sha256) {
        moduleSha256 = sha256;
    }

    /** Records the kind the module runs as, for the step's log line. */
    void kind(ModuleKind kind) {
        this.kind = kind;
    }

    /** The kind the module ran as, or null when it was not loaded. */
    ModuleKind kind() {
        return kind;
    }

    /** The digest of the module that ran, or null when it was not loaded. */
    String moduleSha256() {
        return moduleSha256;
    }

    /** Why the invocation ended as it did; null while it runs. */
    Reason reason() {
        return reason;
    }

    /** What the guest printed during this invocation. */
    GuestOutput output() {
        return output;
    }

    void polled() {
        lastPolledNanos = System.nanoTime();
    }

    void delivered() {
        deliveredNanos = System.nanoTime();
    }

    long startedNanos() {
        return startedNanos;
    }

    long lastPolledNanos() {
        return lastPolledNanos;
    }

    /** When the result was known, or 0 while running. */
    long finishedNanos() {
        return result.isDone() ? finishedNanos : 0;
    }

    /** When a result was first handed to the agent, or 0. */
    long deliveredNanos() {
        return deliveredNanos;
    }
}
