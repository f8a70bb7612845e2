package io.argowasm.agent;

import io.argowasm.exec.TemplateExecutor;
import java.util.Iterator;
import tools.jackson.databind.JsonNode;

/** What a task in {@code spec.tasks} is, by the template the controller wrote. */
record TaskKind(Kind kind, String plugin) {

    enum Kind {
        WASM,
        HTTP,
        /** A plugin template of another executor plugin, named by {@link #plugin()}. */
        OTHER_PLUGIN,
        /** Neither: nothing the controller hands to agents today. */
        UNKNOWN
    }

    static TaskKind of(JsonNode template) {
        JsonNode plugin = template.get("plugin");
        if (plugin != null && plugin.isObject()) {
            if (plugin.has(TemplateExecutor.PLUGIN_NAME)) {
                return new TaskKind(Kind.WASM, TemplateExecutor.PLUGIN_NAME);
            }
            Iterator<String> names = plugin.propertyNames().iterator();
            return new TaskKind(Kind.OTHER_PLUGIN, names.hasNext() ? names.next() : "");
        }
        if (template.hasNonNull("http")) {
            return new TaskKind(Kind.HTTP, null);
        }
        return new TaskKind(Kind.UNKNOWN, null);
    }
}
