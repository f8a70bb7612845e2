package io.argowasm.agent;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** Templates as the controller writes them into {@code spec.tasks}, and an executor for them. */
final class AgentTasks {

    private AgentTasks() {}

    /** An executor with the real module store, as {@code serve} and {@code agent} build it. */
    static TemplateExecutor executor() {
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(64L << 20, Duration.ofSeconds(10)), 64L << 20, 16);
        return TemplateExecutor.builder(Json.mapper(), store).maxConcurrent(8).build();
    }

    /** The greet example: answers {@code greeting} = {@code text}. */
    static JsonNode greet(String text) {
        return Json.mapper()
                .readTree(
                        """
                        {"name":"greet","inputs":{"parameters":[{"name":"text","value":"%s"}]},
                         "outputs":{"parameters":[{"name":"greeting"}]},"metadata":{},
                         "plugin":{"wasm":{"module":{"file":"%s"},"operation":"greet"}}}
                        """
                                .formatted(text, TestModules.example("greet/greet")));
    }

    /** A template of another executor plugin. */
    static JsonNode otherPlugin(String plugin) {
        return Json.mapper()
                .readTree(
                        """
                        {"name":"hello","inputs":{},"outputs":{},"metadata":{},
                         "plugin":{"%s":{"message":"hi"}}}
                        """
                                .formatted(plugin));
    }
}
