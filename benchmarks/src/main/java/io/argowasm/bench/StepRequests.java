package io.argowasm.bench;

import io.argowasm.module.Digests;
import io.argowasm.server.PluginServer;
import java.net.URI;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code template.execute} requests as Argo's agent sends them, for one module. */
final class StepRequests {

    /** The workflow uid of every request; the load generator varies its last 12 digits. */
    static final String UID = "00000000-0000-0000-0000-000000000000";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StepRequests() {}

    /**
     * A step that calls the benchmark operation of a module served at {@code url}, pinned by its
     * digest, with the input parameter {@code text=hello}, and declares the one output parameter
     * the module answers (the echo guest answers its payload, so its {@code text} comes back).
     *
     * @param name the module's name in {@link BenchModules}
     */
    static byte[] execute(URI url, byte[] module, String name) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("workflow")
                .putObject("metadata")
                .put("name", "bench")
                .put("namespace", "default")
                .put("uid", UID);
        ObjectNode template = body.putObject("template");
        template.put("name", "step");
        template.putObject("inputs")
                .putArray("parameters")
                .addObject()
                .put("name", "text")
                .put("value", "hello");
        template.putObject("outputs")
                .putArray("parameters")
                .addObject()
                .put("name", output(name))
                .putObject("valueFrom")
                .putObject("supplied");
        ObjectNode wasm = template.putObject("plugin").putObject("wasm");
        wasm.putObject("module").put("url", url.toString()).put("sha256", Digests.sha256(module));
        wasm.put("operation", BenchModules.operation(name));
        return LoopbackConnection.post(PluginServer.EXECUTE_PATH, JSON.writeValueAsBytes(body));
    }

    private static String output(String name) {
        return switch (name) {
            case "greet" -> "greeting";
            case "large", "kernels" -> "checksum";
            default -> "text";
        };
    }
}
