package io.argowasm.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyFormatTest {
    private static final WorkflowRef WORKFLOW = new WorkflowRef("etl-7x2kq", "argo", "5b1a-uid");
    private static final Instant CREATED = Instant.parse("2024-03-05T07:08:09Z");

    @Test
    void defaultKeysNameWorkflowInvocationAndFile() {
        assertThat(KeyFormat.defaults().keyFor(WORKFLOW, null, "abc123", "counts.tgz"))
                .isEqualTo("etl-7x2kq/etl-7x2kq-wasm-abc123/counts.tgz");
    }

    @Test
    void keyPrefixGoesInFrontOfDefaultKeys() {
        assertThat(KeyFormat.of(null, "/artifacts/").keyFor(WORKFLOW, null, "i1", "a.tgz"))
                .isEqualTo("artifacts/etl-7x2kq/etl-7x2kq-wasm-i1/a.tgz");
    }

    @Test
    void aFormatOfWorkflowVariablesIsRenderedAndTheFileAppended() {
        KeyFormat format =
                KeyFormat.of(
                        "{{workflow.namespace}}/{{ workflow.name }}/{{workflow.uid}}/"
                            + "{{workflow.creationTimestamp.Y}}/{{workflow.creationTimestamp.m}}/"
                            + "{{workflow.creationTimestamp.d}}-{{workflow.creationTimestamp.H}}"
                            + "{{workflow.creationTimestamp.M}}{{workflow.creationTimestamp.S}}",
                        "ignored-with-a-format");

        assertThat(format.keyFor(WORKFLOW, CREATED, "i1", "out.tgz"))
                .isEqualTo("argo/etl-7x2kq/5b1a-uid/2024/03/05-070809/out.tgz");
    }

    @Test
    void formatsUsingPodNameFallBackToTheDefault() {
        assertThat(
                        KeyFormat.of("{{workflow.name}}/{{pod.name}}", null)
                                .keyFor(WORKFLOW, CREATED, "i1", "a"))
                .isEqualTo("etl-7x2kq/etl-7x2kq-wasm-i1/a");
    }

    @Test
    void creationTimestampWithoutAKnownCreationTimeFallsBackToTheDefault() {
        assertThat(
                        KeyFormat.of("{{workflow.creationTimestamp.Y}}/x", null)
                                .keyFor(WORKFLOW, null, "i1", "a"))
                .isEqualTo("etl-7x2kq/etl-7x2kq-wasm-i1/a");
    }

    @Test
    void uidIsUnusableWhenTheAgentSentNone() {
        WorkflowRef old = new WorkflowRef("wf", "ns", null);
        assertThat(KeyFormat.of("{{workflow.uid}}", null).keyFor(old, null, "i1", "a"))
                .isEqualTo("wf/wf-wasm-i1/a");
    }
}
