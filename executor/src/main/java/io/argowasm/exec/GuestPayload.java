package io.argowasm.exec;

import io.argowasm.argo.Parameter;
import io.argowasm.argo.Template;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Builds the JSON payload a guest receives; its shape is documented in docs/module-authors.md. */
final class GuestPayload {

    private GuestPayload() {}

    /** The payload, with an empty {@code artifacts} object for {@link StepArtifacts} to fill. */
    static ObjectNode build(
            JsonMapper json, StepContext step, Template template, WasmPluginSpec spec) {
        ObjectNode payload = json.createObjectNode();
        payload.putObject("workflow")
                .put("name", step.workflow())
                .put("namespace", step.namespace())
                .put("uid", step.uid());
        payload.put("template", step.template());
        ObjectNode parameters = payload.putObject("parameters");
        for (Parameter p : template.inputsOrEmpty().parameters()) {
            String value = p.value() != null ? p.value() : p.defaultValue();
            if (p.name() != null && value != null) {
                parameters.put(p.name(), value);
            }
        }
        payload.set("options", spec.options());
        payload.putObject("artifacts");
        return payload;
    }
}
