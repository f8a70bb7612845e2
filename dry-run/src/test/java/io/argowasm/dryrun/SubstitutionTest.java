package io.argowasm.dryrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.argo.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class SubstitutionTest {

    private final Scope scope =
            Scope.empty()
                    .with("workflow.name", "wf")
                    .with("inputs.parameters.x", "1")
                    .withItem(Json.mapper().readTree("{\"a\":\"b\",\"n\":{\"deep\":true}}"));

    @Test
    void replacesReferencesWithOrWithoutSpaces() {
        assertThat(Substitution.apply("{{workflow.name}}-{{ inputs.parameters.x }}", scope))
                .isEqualTo("wf-1");
    }

    @Test
    void itemFieldsAndWholeItemsAreText() {
        assertThat(Substitution.apply("{{item.a}} {{item.n}}", scope))
                .isEqualTo("b {\"deep\":true}");
        assertThat(Substitution.apply("{{item}}", scope))
                .isEqualTo("{\"a\":\"b\",\"n\":{\"deep\":true}}");
    }

    @Test
    void substitutesEveryStringOfATree() {
        JsonNode tree =
                Json.mapper()
                        .readTree("{\"k\":[\"{{workflow.name}}\",3],\"o\":{\"v\":\"{{item.a}}\"}}");
        assertThat(Substitution.apply(tree, scope).toString())
                .isEqualTo("{\"k\":[\"wf\",3],\"o\":{\"v\":\"b\"}}");
    }

    @Test
    void unknownReferencesAndExpressionsAreErrors() {
        assertThatThrownBy(() -> Substitution.apply("{{inputs.parameters.y}}", scope))
                .hasMessage(
                        "cannot resolve {{inputs.parameters.y}}: the template declares no such"
                                + " input");
        assertThatThrownBy(() -> Substitution.apply("{{=1+1}}", scope))
                .hasMessageContaining("expression tag {{=1+1}} is not supported by dry-run");
    }

    @Test
    void artifactReferencesResolveToTheArtifact() {
        ObjectNode artifact = Json.mapper().createObjectNode().put("name", "out");
        artifact.putObject("s3").put("key", "wf/x/out.tgz");
        Scope withArtifact = scope.withArtifact("steps.a.outputs.artifacts.out", artifact);
        assertThat(
                        Substitution.artifact(" {{steps.a.outputs.artifacts.out}} ", withArtifact)
                                .at("/s3/key")
                                .asString())
                .isEqualTo("wf/x/out.tgz");
        assertThatThrownBy(
                        () ->
                                Substitution.artifact(
                                        "{{steps.b.outputs.artifacts.out}}", withArtifact))
                .hasMessageContaining("no artifact {{steps.b.outputs.artifacts.out}} in scope");
    }
}
