package io.argowasm.exec;

import io.argowasm.argo.Artifact;
import io.argowasm.argo.NodePhase;
import io.argowasm.argo.NodeResult;
import io.argowasm.argo.Outputs;
import io.argowasm.argo.Parameter;
import io.argowasm.argo.Template;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.metrics.PluginMetrics;
import io.argowasm.metrics.PluginMetrics.Reason;
import io.argowasm.metrics.PluginMetrics.Stage;
import io.argowasm.module.ModuleLoadException;
import io.argowasm.module.ModuleRef;
import io.argowasm.module.ModuleStore;
import io.argowasm.module.oci.PullSecrets;
import io.argowasm.wapc.GuestCallException;
import io.argowasm.wapc.GuestOutput;
import io.argowasm.wapc.HostBindings;
import io.argowasm.wapc.InstanceLimits;
import io.argowasm.wapc.InstancePool;
import io.argowasm.wapc.InvalidModuleException;
import io.argowasm.wapc.ModuleKind;
import io.argowasm.wapc.WapcInstance;
import io.argowasm.wapc.WapcModule;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The work of one invocation, on a guest thread: load the module, tell its kind, and for a waPC
 * guest call it on a pooled instance and turn its reply into the node's outputs (a WASI command
 * goes to {@link WasiStep}). The result is published before the instance is reset, so the reset
 * stays off the reply's path.
 */
final class WasmStep {

    private static final Logger log = LoggerFactory.getLogger(WasmStep.class);

    private final JsonMapper json;
    private final ModuleStore modules;
    private final ArtifactWorkspaces workspaces;
    private final PayloadLimits payloadLimits;
    private final PluginMetrics metrics;
    private final HttpCapability http;
    private final WasiStep wasi;
    private final PullSecrets pullSecrets;

    /**
     * @param workspaces where artifacts are staged; null when the plugin has no repository
     * @param maxGuestFileBytes what a WASI command may hold in files it writes
     */
    WasmStep(
            JsonMapper json,
            ModuleStore modules,
            ArtifactWorkspaces workspaces,
            PayloadLimits payloadLimits,
            PluginMetrics metrics,
            HttpCapability http,
            long maxGuestFileBytes,
            PullSecrets pullSecrets) {
        this.json = json;
        this.modules = modules;
        this.workspaces = workspaces;
        this.payloadLimits = payloadLimits;
        this.metrics = metrics;
        this.http = http;
        this.wasi = new WasiStep(json, workspaces, payloadLimits, metrics, maxGuestFileBytes, http);
        this.pullSecrets = pullSecrets;
    }

    static String describe(WasmPluginSpec spec) {
        return "module %s (operation '%s')".formatted(spec.module().describe(), spec.operation());
    }

    void run(Invocation invocation, Template template, WasmPluginSpec spec) {
        StepContext step = invocation.step();
        GuestOutput output = invocation.output();
        try {
            payloadLimits.checkInputs(template);
            long loading = System.nanoTime();
            WapcModule module = load(invocation, template, spec);
            invocation.span().stage("module.load", loading, System.nanoTime());
            invocation.runs(module.digest());
            ModuleKind kind = kindOf(module, spec);
            invocation.kind(kind);
            if (invocation.decided()) {
                return; // answered meanwhile (a timeout): the guest must not run
            }
            String artifact = spec.module().artifact();
            Template guests =
                    artifact == null ? template : ModuleArtifact.withoutModule(template, artifact);
            if (kind == ModuleKind.WASI) {
                wasi.call(invocation, guests, spec, module);
            } else {
                call(invocation, guests, spec, module, output);
            }
        } catch (ModuleLoadException e) {
            if (e.isTransient()) {
                invocation.complete(waitingForMemory(step, e.getMessage()), Reason.MEMORY_BUSY);
            } else {
                invocation.complete(failed(step, e.getMessage(), null), reasonOf(e));
            }
        } catch (StepFailure e) {
            if (e.isTransient()) {
                invocation.complete(
                        waitingForMemory(
                                step, "%s: %s".formatted(invocation.what(), e.getMessage())),
                        Reason.MEMORY_BUSY);
                return;
            }
            String message =
                    e.aboutTheModule()
                            ? "%s failed: %s".formatted(invocation.what(), e.getMessage())
                            : e.getMessage();
            invocation.complete(failed(step, message, output), e.reason());
        } catch (RuntimeException e) {
            log.error("[{}] unexpected failure", step.describe(), e);
            invocation.complete(
                    failed(
                            step,
                            "%s failed unexpectedly: %s".formatted(invocation.what(), e),
                            output),
                    Reason.INTERNAL);
        }
    }

    /** The kind the module runs as; a waPC guest refuses the keys only WASI commands take. */
    private static ModuleKind kindOf(WapcModule module, WasmPluginSpec spec) throws StepFailure {
        ModuleKind kind;
        try {
            kind = module.kind(spec.abi());
        } catch (InvalidModuleException e) {
            throw StepFailure.because(Reason.MODULE_INVALID, e.getMessage(), e);
        }
        List<String> wasiKeys = spec.wasi().keysSet();
        if (kind == ModuleKind.WAPC && !wasiKeys.isEmpty()) {
            throw StepFailure.because(
                    Reason.TEMPLATE,
                    ("the module is a waPC guest (it exports __guest_call), so %s does not apply;"
                                    + " remove it, or set plugin.wasm.abi: wasi to run it as a"
                                    + " WASI command")
                            .formatted(String.join(" and ", wasiKeys)),
                    null);
        }
        return kind;
    }

    /**
     * The step's module: from its input artifact, or from the store with the step's pull secrets
     * (read only if a registry asks for a login).
     */
    private WapcModule load(Invocation invocation, Template template, WasmPluginSpec spec)
            throws ModuleLoadException {
        ModuleRef ref = spec.module();
        StepContext step = invocation.step();
        if (ref.artifact() != null) {
            Artifact artifact = ModuleArtifact.declared(template, ref.artifact());
            return modules.load(
                    ref,
                    () ->
                            ModuleArtifact.read(
                                    json,
                                    workspaces,
                                    step,
                                    invocation.key().shortId(),
                                    artifact,
                                    modules.maxModuleBytes()));
        }
        return modules.load(
                ref,
                () ->
                        pullSecrets.credentials(
                                step.namespace(), step.workflow(), spec.pullSecret()));
    }

    private static Reason reasonOf(ModuleLoadException e) {
        if (e.isOverBudget()) {
            return Reason.MEMORY_LIMIT;
        }
        return e.isInvalidModule() ? Reason.MODULE_INVALID : Reason.MODULE_FETCH;
    }

    private void call(
            Invocation invocation,
            Template template,
            WasmPluginSpec spec,
            WapcModule module,
            GuestOutput output)
            throws StepFailure {
        ObjectNode payload = GuestPayload.build(json, invocation.step(), template, spec);
        InstancePool pool =
                module.pool(
                        new InstanceLimits(
                                spec.memoryBytes(),
                                payloadLimits.maxResponseBytes(),
                                InstanceLimits.DEFAULT_MAX_HOST_PAYLOAD_BYTES));
        HostBindings.Builder bindings =
                HostBindings.builder().observe(HostCallSpans.of(invocation.span()));
        http.addTo(bindings, spec, invocation.step());
        if (!declaresArtifacts(template)) {
            // The result goes out before the instance is reset, keeping the reset off its path.
            WapcInstance instance = borrow(invocation, pool);
            try {
                byte[] response = callGuest(invocation, instance, spec, payload, bindings.build());
                invocation.complete(succeeded(template, response), Reason.OK);
            } finally {
                pool.giveBack(instance);
            }
            return;
        }
        if (workspaces == null) {
            throw StepFailure.because(
                    Reason.TEMPLATE,
                    "the template declares artifacts, but this plugin runs without an artifact"
                            + " repository",
                    null);
        }
        NodeResult result;
        long staging = System.nanoTime();
        try (StepArtifacts artifacts =
                StepArtifacts.stage(
                        json,
                        workspaces,
                        invocation.step(),
                        invocation.key().shortId(),
                        template)) {
            stage(invocation, Stage.ARTIFACTS_IN, staging);
            metrics.artifactBytes(true, artifacts.stagedBytes());
            artifacts.describeTo((ObjectNode) payload.get("artifacts"));
            bindings.bind(ArtifactBinding.BINDING, artifacts.binding());
            WapcInstance instance = borrow(invocation, pool);
            byte[] response;
            try {
                response = callGuest(invocation, instance, spec, payload, bindings.build());
            } finally {
                pool.giveBack(instance);
            }
            result = succeeded(template, response);
            if (invocation.decided()) {
                return; // stopped meanwhile: nothing is uploaded for a step already reported
            }
            long uploading = System.nanoTime();
            List<io.argowasm.argo.Artifact> uploaded = artifacts.upload();
            stage(invocation, Stage.ARTIFACTS_OUT, uploading);
            metrics.artifactBytes(false, artifacts.uploadedBytes());
            result =
                    NodeResult.succeeded(
                            result.message(),
                            new Outputs(result.outputs().parameters(), uploaded, null));
        }
        // Published only once the workspace is gone, so a finished step leaves no files behind.
        invocation.complete(result, Reason.OK);
    }

    /** Records a stage that began at {@code start} and ends now: its histogram and its span. */
    private void stage(Invocation invocation, Stage stage, long start) {
        long end = System.nanoTime();
        metrics.stage(stage, end - start);
        invocation.span().stage(stage.spanName(), start, end);
    }

    private WapcInstance borrow(Invocation invocation, InstancePool pool) throws StepFailure {
        long start = System.nanoTime();
        try {
            return pool.borrow(invocation.output());
        } catch (GuestCallException e) {
            throw stepFailure(e);
        } finally {
            stage(invocation, Stage.INSTANTIATE, start);
        }
    }

    static StepFailure stepFailure(GuestCallException e) {
        return e.kind() == GuestCallException.Kind.MEMORY_BUSY
                ? StepFailure.memoryBusy(e.getMessage(), e)
                : new StepFailure(e.getMessage(), e);
    }

    private byte[] callGuest(
            Invocation invocation,
            WapcInstance instance,
            WasmPluginSpec spec,
            ObjectNode payload,
            HostBindings bindings)
            throws StepFailure {
        long start = System.nanoTime();
        try {
            return instance.call(
                    spec.operation(),
                    json.writeValueAsBytes(payload),
                    bindings,
                    invocation.output());
        } catch (GuestCallException e) {
            throw stepFailure(e);
        } finally {
            stage(invocation, Stage.CALL, start);
            metrics.guestMemory(instance.memoryBytes());
        }
    }

    /** The node for a guest's response: its parameters checked against the template. */
    private NodeResult succeeded(Template template, byte[] response) throws StepFailure {
        GuestReply reply = GuestReply.parse(json, response);
        List<Parameter> parameters = reply.outputs(template.outputsOrEmpty().parameters());
        payloadLimits.checkOutputs(parameters);
        return NodeResult.succeeded(reply.message(), new Outputs(parameters, List.of(), null));
    }

    static boolean declaresArtifacts(Template template) {
        return !template.inputsOrEmpty().artifacts().isEmpty()
                || !template.outputsOrEmpty().artifacts().isEmpty();
    }

    /**
     * A node that tells the agent to come back later: the step did not fail, the sidecar lacked
     * memory that other steps hold. The invocation is forgotten once delivered, so the next request
     * runs it again.
     */
    private static NodeResult waitingForMemory(StepContext step, String message) {
        return new NodeResult(
                NodePhase.Pending,
                "waiting for memory: %s; it will run again".formatted(message),
                null);
    }

    /** A failed node whose message ends with the last lines the guest printed, if any. */
    NodeResult failed(StepContext step, String message, GuestOutput output) {
        StringBuilder text = new StringBuilder(message);
        if (output != null && !output.lastLines().isEmpty()) {
            text.append("; last guest output: ").append(String.join(" | ", output.lastLines()));
        }
        return NodeResult.failed(text.toString());
    }
}
