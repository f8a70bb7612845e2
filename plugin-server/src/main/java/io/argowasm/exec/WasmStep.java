package io.argowasm.exec;

import io.argowasm.argo.Artifact;
import io.argowasm.argo.NodeResult;
import io.argowasm.argo.Outputs;
import io.argowasm.argo.Parameter;
import io.argowasm.argo.Template;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.module.ModuleLoadException;
import io.argowasm.module.ModuleStore;
import io.argowasm.wapc.GuestCallException;
import io.argowasm.wapc.GuestOutput;
import io.argowasm.wapc.HostBindings;
import io.argowasm.wapc.InstanceLimits;
import io.argowasm.wapc.InstancePool;
import io.argowasm.wapc.WapcInstance;
import io.argowasm.wapc.WapcModule;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The work of one invocation, on a guest thread: load the module, call the guest on a pooled
 * instance, turn its reply into the node's outputs. The result is published before the instance is
 * reset, so the reset stays off the reply's path.
 */
final class WasmStep {

    private static final Logger log = LoggerFactory.getLogger(WasmStep.class);

    private final JsonMapper json;
    private final ModuleStore modules;
    private final ArtifactWorkspaces workspaces;
    private final PayloadLimits payloadLimits;

    /**
     * @param workspaces where artifacts are staged; null when the plugin has no repository
     */
    WasmStep(
            JsonMapper json,
            ModuleStore modules,
            ArtifactWorkspaces workspaces,
            PayloadLimits payloadLimits) {
        this.json = json;
        this.modules = modules;
        this.workspaces = workspaces;
        this.payloadLimits = payloadLimits;
    }

    static String describe(WasmPluginSpec spec) {
        return "module " + spec.module().describe() + " (operation '" + spec.operation() + "')";
    }

    void run(Invocation invocation, Template template, WasmPluginSpec spec) {
        StepContext step = invocation.step();
        GuestOutput output = invocation.output();
        try {
            payloadLimits.checkInputs(template);
            WapcModule module = modules.load(spec.module());
            call(invocation, template, spec, module, output);
        } catch (ModuleLoadException e) {
            invocation.complete(failed(step, e.getMessage(), null));
        } catch (StepFailure e) {
            invocation.complete(
                    failed(step, invocation.what() + " failed: " + e.getMessage(), output));
        } catch (RuntimeException e) {
            log.error("[{}] unexpected failure", step.describe(), e);
            invocation.complete(
                    failed(step, invocation.what() + " failed unexpectedly: " + e, output));
        }
    }

    private void call(
            Invocation invocation,
            Template template,
            WasmPluginSpec spec,
            WapcModule module,
            GuestOutput output)
            throws StepFailure {
        ObjectNode payload = GuestPayload.build(json, invocation.step(), template, spec);
        if (!declaresArtifacts(template)) {
            call(invocation, template, spec, module, payload, HostBindings.NONE, null);
            return;
        }
        if (workspaces == null) {
            throw new StepFailure(
                    "the template declares artifacts, but this plugin runs without an artifact"
                            + " repository");
        }
        try (StepArtifacts artifacts =
                StepArtifacts.stage(
                        json,
                        workspaces,
                        invocation.step(),
                        invocation.key().shortId(),
                        template)) {
            artifacts.describeTo((ObjectNode) payload.get("artifacts"));
            HostBindings bindings =
                    HostBindings.builder()
                            .bind(ArtifactBinding.BINDING, artifacts.binding())
                            .build();
            call(invocation, template, spec, module, payload, bindings, artifacts);
        }
    }

    /**
     * Calls the guest on a pooled instance. Without artifacts the result is published before the
     * instance is reset; with them, the instance goes back first and the outputs are uploaded,
     * unless the invocation was stopped meanwhile.
     */
    private void call(
            Invocation invocation,
            Template template,
            WasmPluginSpec spec,
            WapcModule module,
            ObjectNode payload,
            HostBindings bindings,
            StepArtifacts artifacts)
            throws StepFailure {
        InstancePool pool =
                module.pool(
                        new InstanceLimits(
                                spec.memoryBytes(),
                                payloadLimits.maxResponseBytes(),
                                InstanceLimits.DEFAULT_MAX_HOST_PAYLOAD_BYTES));
        WapcInstance instance;
        byte[] response;
        try {
            instance = pool.borrow(invocation.output());
        } catch (GuestCallException e) {
            throw new StepFailure(e.getMessage(), e);
        }
        try {
            response =
                    instance.call(
                            spec.operation(),
                            json.writeValueAsBytes(payload),
                            bindings,
                            invocation.output());
        } catch (GuestCallException e) {
            pool.giveBack(instance);
            throw new StepFailure(e.getMessage(), e);
        }
        if (artifacts != null) {
            pool.giveBack(instance);
        }
        GuestReply reply = GuestReply.parse(json, response);
        List<Parameter> parameters = reply.outputs(template.outputsOrEmpty().parameters());
        payloadLimits.checkOutputs(parameters);
        List<Artifact> uploaded = List.of();
        if (artifacts != null && !invocation.result().isDone()) {
            uploaded = artifacts.upload();
        }
        invocation.complete(
                NodeResult.succeeded(reply.message(), new Outputs(parameters, uploaded, null)));
        if (artifacts == null) {
            pool.giveBack(instance);
        }
    }

    private static boolean declaresArtifacts(Template template) {
        return !template.inputsOrEmpty().artifacts().isEmpty()
                || !template.outputsOrEmpty().artifacts().isEmpty();
    }

    /** A failed node whose message ends with the last lines the guest printed, if any. */
    NodeResult failed(StepContext step, String message, GuestOutput output) {
        StringBuilder text = new StringBuilder(message);
        if (output != null && !output.lastLines().isEmpty()) {
            text.append("; last guest output: ").append(String.join(" | ", output.lastLines()));
        }
        log.warn("[{}] step failed: {}", step.describe(), text);
        return NodeResult.failed(text.toString());
    }
}
