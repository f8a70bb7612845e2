package io.argowasm.exec;

import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.ExecuteTemplateReply;
import io.argowasm.argo.NodePhase;
import io.argowasm.argo.NodeResult;
import io.argowasm.argo.Outputs;
import io.argowasm.argo.Parameter;
import io.argowasm.argo.Template;
import io.argowasm.argo.WorkflowMetadata;
import io.argowasm.module.ModuleLoadException;
import io.argowasm.module.ModuleStore;
import io.argowasm.wapc.GuestCallException;
import io.argowasm.wapc.GuestOutput;
import io.argowasm.wapc.HostBindings;
import io.argowasm.wapc.InstanceLimits;
import io.argowasm.wapc.InstancePool;
import io.argowasm.wapc.WapcInstance;
import io.argowasm.wapc.WapcModule;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code plugin: wasm} templates: reads the block, loads the module, calls the guest with a
 * time limit and turns what happened into an Argo node. Every step-level problem becomes a {@code
 * Failed} node with a message for the user; nothing a template or a module does escapes as an
 * exception.
 */
public final class TemplateExecutor implements AutoCloseable {

    public static final String PLUGIN_NAME = "wasm";

    private static final Logger log = LoggerFactory.getLogger(TemplateExecutor.class);
    private static final int KEPT_OUTPUT_LINES = 5;
    private static final long GUEST_STACK_BYTES = 8L << 20;

    private final JsonMapper json;
    private final ModuleStore modules;
    private final ExecutionLimits limits;
    private final Semaphore slots;
    private final Duration slotWait;
    private final ExecutorService guests;

    /**
     * @param maxConcurrent how many guests may run at once
     * @param slotWait how long a request waits for a free slot before it answers {@code Pending}
     */
    public TemplateExecutor(
            JsonMapper json,
            ModuleStore modules,
            ExecutionLimits limits,
            int maxConcurrent,
            Duration slotWait) {
        this.json = json;
        this.modules = modules;
        this.limits = limits;
        this.slots = new Semaphore(maxConcurrent, true);
        this.slotWait = slotWait;
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
    }

    /** Whether a template is ours: its {@code plugin} block has the key {@code wasm}. */
    public static boolean isWasmTemplate(Template template) {
        return template != null
                && template.plugin() != null
                && template.plugin().containsKey(PLUGIN_NAME);
    }

    /**
     * Executes a {@code plugin: wasm} template and answers as Argo expects; templates of other
     * plugins get the empty reply.
     */
    public ExecuteTemplateReply execute(ExecuteTemplateArgs args) {
        Template template = args.template();
        if (!isWasmTemplate(template)) {
            return ExecuteTemplateReply.NOT_MINE;
        }
        StepContext step =
                StepContext.of(
                        args.workflow() == null
                                ? new WorkflowMetadata(null, null, null)
                                : args.workflow().metadataOrEmpty(),
                        template.name());
        WasmPluginSpec spec;
        try {
            spec = WasmPluginSpec.parse(template.plugin().get(PLUGIN_NAME), limits);
        } catch (InvalidTemplateException e) {
            return failed(step, "invalid plugin.wasm: " + e.getMessage());
        }
        WapcModule module;
        try {
            module = modules.load(spec.module());
        } catch (ModuleLoadException e) {
            return failed(step, e.getMessage());
        }
        try {
            if (!slots.tryAcquire(slotWait.toMillis(), TimeUnit.MILLISECONDS)) {
                return new ExecuteTemplateReply(
                        new NodeResult(
                                NodePhase.Pending,
                                "waiting for a free slot: all guest slots of the wasm plugin are"
                                        + " busy",
                                null),
                        GoDuration.format(slotWait));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(step, "the sidecar is shutting down");
        }
        try {
            return ExecuteTemplateReply.of(invoke(step, template, spec, module));
        } finally {
            slots.release();
        }
    }

    private NodeResult invoke(
            StepContext step, Template template, WasmPluginSpec spec, WapcModule module) {
        GuestOutput output =
                new GuestOutput(
                        KEPT_OUTPUT_LINES,
                        (stream, text) ->
                                log.info("[{}] guest {}: {}", step.describe(), stream, text));
        String what =
                "module " + spec.module().describe() + " (operation '" + spec.operation() + "')";
        GuestTask<NodeResult> task =
                GuestTask.start(
                        guests, publish -> call(step, template, spec, module, output, publish));
        try {
            return task.result().get(spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.interrupt();
            return failedNode(
                    step,
                    what
                            + " timed out after "
                            + GoDuration.format(spec.timeout())
                            + " (plugin.wasm.limits.timeout)",
                    output);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StepFailure f) {
                return failedNode(step, what + " failed: " + f.getMessage(), output);
            }
            log.error("[{}] unexpected failure", step.describe(), cause);
            return failedNode(step, what + " failed unexpectedly: " + cause, output);
        } catch (InterruptedException e) {
            task.interrupt();
            Thread.currentThread().interrupt();
            return failedNode(
                    step, what + " was interrupted: the sidecar is shutting down", output);
        }
    }

    /** Runs on a guest thread: one call on a pooled instance, reset after the result is out. */
    private void call(
            StepContext step,
            Template template,
            WasmPluginSpec spec,
            WapcModule module,
            GuestOutput output,
            Consumer<NodeResult> publish)
            throws StepFailure {
        byte[] payload = json.writeValueAsBytes(GuestPayload.build(json, step, template, spec));
        InstancePool pool = module.pool(InstanceLimits.ofMemory(spec.memoryBytes()));
        WapcInstance instance;
        try {
            instance = pool.borrow(output);
        } catch (GuestCallException e) {
            throw new StepFailure(e.getMessage(), e);
        }
        byte[] response;
        try {
            response = instance.call(spec.operation(), payload, HostBindings.NONE, output);
        } catch (GuestCallException e) {
            pool.giveBack(instance);
            throw new StepFailure(e.getMessage(), e);
        }
        GuestReply reply = GuestReply.parse(json, response);
        List<Parameter> parameters = reply.outputs(template.outputsOrEmpty().parameters());
        publish.accept(
                NodeResult.succeeded(reply.message(), new Outputs(parameters, List.of(), null)));
        pool.giveBack(instance);
    }

    private ExecuteTemplateReply failed(StepContext step, String message) {
        return ExecuteTemplateReply.of(failedNode(step, message, null));
    }

    private NodeResult failedNode(StepContext step, String message, GuestOutput output) {
        StringBuilder text = new StringBuilder(message);
        if (output != null && !output.lastLines().isEmpty()) {
            text.append("; last guest output: ").append(String.join(" | ", output.lastLines()));
        }
        log.warn("[{}] step failed: {}", step.describe(), text);
        return NodeResult.failed(text.toString());
    }

    @Override
    public void close() {
        guests.shutdownNow();
    }
}
