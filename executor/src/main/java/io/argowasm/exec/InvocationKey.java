package io.argowasm.exec;

import io.argowasm.argo.Template;
import io.argowasm.module.Digests;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What identifies one invocation across Argo's retries and requeues, which carry no node id: the
 * workflow (uid, or namespace and name for agents that send no uid) and a canonical hash of the
 * template Argo sent.
 */
record InvocationKey(String workflow, String templateSha256) {

    private static final JsonMapper CANONICAL =
            JsonMapper.builder()
                    .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
                    .build();

    static InvocationKey of(StepContext step, Template template) {
        String workflow =
                step.uid().isEmpty() ? step.namespace() + "/" + step.workflow() : step.uid();
        return new InvocationKey(workflow, Digests.sha256(CANONICAL.writeValueAsBytes(template)));
    }

    /**
     * The key of a step whose caller names its node ({@code TemplateExecutor#start}): the node id
     * stands in for the template hash, so identical templates of two nodes stay apart.
     */
    static InvocationKey ofNode(StepContext step, String nodeId) {
        String workflow =
                step.uid().isEmpty() ? step.namespace() + "/" + step.workflow() : step.uid();
        return new InvocationKey(workflow, "node:" + nodeId);
    }

    /** A short, stable id for names and keys derived from this invocation. */
    String shortId() {
        return Digests.sha256(
                        (workflow + "/" + templateSha256)
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 10);
    }
}
