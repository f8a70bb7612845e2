package io.argowasm.dryrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.argo.NodePhase;
import io.argowasm.dryrun.DependsExpression.TaskOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependsExpressionTest {

    private static final Map<String, TaskOutcome> FINISHED =
            Map.of(
                    "ok", new TaskOutcome(NodePhase.Succeeded, List.of(NodePhase.Succeeded)),
                    "bad", new TaskOutcome(NodePhase.Failed, List.of(NodePhase.Failed)),
                    "skipped", new TaskOutcome(NodePhase.Skipped, List.of()),
                    "mixed",
                            new TaskOutcome(
                                    NodePhase.Failed,
                                    List.of(NodePhase.Succeeded, NodePhase.Failed)));

    private static boolean holds(String depends) {
        return DependsExpression.parse(depends).holds(FINISHED);
    }

    @Test
    void aBareNameMeansSucceededOrSkipped() {
        assertThat(holds("ok")).isTrue();
        assertThat(holds("skipped")).isTrue();
        assertThat(holds("bad")).isFalse();
    }

    @Test
    void resultsOperatorsAndParentheses() {
        assertThat(holds("bad.Failed && ok.Succeeded")).isTrue();
        assertThat(holds("bad.Succeeded || (ok && !bad)")).isTrue();
        assertThat(holds("mixed.AnySucceeded && !mixed.AllFailed")).isTrue();
        assertThat(holds("bad.AllFailed")).isTrue();
        assertThat(holds("ok.Errored || skipped.Omitted")).isFalse();
    }

    @Test
    void namesItsTasksAndTheFailuresItHandles() {
        DependsExpression expression = DependsExpression.parse("a && (b.Failed || c.Succeeded)");
        assertThat(expression.tasks()).containsExactly("a", "b", "c");
        assertThat(expression.failureHandlers()).containsExactly("b");
    }

    @Test
    void dependenciesMeanAllSucceeded() {
        assertThat(DependsExpression.allOf(List.of("ok", "skipped")).holds(FINISHED)).isTrue();
        assertThat(DependsExpression.allOf(List.of("ok", "bad")).holds(FINISHED)).isFalse();
    }

    @Test
    void refusesUnknownResultsAndBrokenSyntax() {
        assertThatThrownBy(() -> DependsExpression.parse("a.Done"))
                .hasMessageContaining("'Done' is not a task result");
        assertThatThrownBy(() -> DependsExpression.parse("(a && b"))
                .hasMessageContaining("a '(' is not closed");
        assertThatThrownBy(() -> DependsExpression.parse("a &&"))
                .hasMessageContaining("ends too early");
    }
}
