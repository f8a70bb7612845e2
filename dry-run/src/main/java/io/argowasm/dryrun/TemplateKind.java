package io.argowasm.dryrun;

import io.argowasm.exec.TemplateExecutor;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** What a template does, from the one field that says so. */
enum TemplateKind {
    STEPS("steps", true),
    DAG("dag", true),
    WASM("plugin", true),
    SUSPEND("suspend", true),
    CONTAINER("container", false),
    SCRIPT("script", false),
    RESOURCE("resource", false),
    HTTP("http", false),
    CONTAINER_SET("containerSet", false),
    DATA("data", false),
    OTHER_PLUGIN("plugin", false);

    final String field;
    final boolean runnable;

    TemplateKind(String field, boolean runnable) {
        this.field = field;
        this.runnable = runnable;
    }

    /** The kinds a template declares; a valid template declares exactly one. */
    static List<TemplateKind> of(JsonNode template) {
        List<TemplateKind> kinds = new ArrayList<>();
        for (TemplateKind kind : values()) {
            if (kind == WASM || kind == OTHER_PLUGIN) {
                continue;
            }
            if (template.has(kind.field)) {
                kinds.add(kind);
            }
        }
        if (template.has("plugin")) {
            kinds.add(TemplateExecutor.isWasmTemplate(template) ? WASM : OTHER_PLUGIN);
        }
        return kinds;
    }

    /** How messages name the kind: {@code container}, {@code plugin: wasm}, ... */
    String describe() {
        return switch (this) {
            case WASM -> "plugin: wasm";
            case OTHER_PLUGIN -> "plugin (not wasm)";
            default -> field;
        };
    }
}
