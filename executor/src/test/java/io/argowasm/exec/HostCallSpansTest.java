package io.argowasm.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.wapc.HostBindings.CallObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostCallSpansTest {

    private final List<String> stages = new ArrayList<>();
    private final StepTracer.StepSpan span =
            new StepTracer.StepSpan() {
                @Override
                public void stage(String name, long startNanos, long endNanos) {
                    stages.add(name);
                }

                @Override
                public void end(Map<String, String> attributes) {}
            };

    @Test
    void eachCallIsAChildSpanNamedByBindingAndNamespace() {
        CallObserver observer = HostCallSpans.of(span);
        observer.called("artifacts", "in", 1, 2);
        observer.called("http", "", 3, 4);

        assertThat(stages).containsExactly("host.artifacts/in", "host.http");
    }

    @Test
    void aChattyGuestGetsOnlyItsFirstCallsAsSpansWithNamesCut() {
        CallObserver observer = HostCallSpans.of(span);
        String longName = "b".repeat(200);
        for (int i = 0; i < 1_000; i++) {
            observer.called(longName, "ns", i, i + 1);
        }

        assertThat(stages).hasSize(HostCallSpans.MAX_SPANS);
        assertThat(stages.get(0)).hasSize(HostCallSpans.MAX_NAME).startsWith("host.bbb");
    }

    @Test
    void anUntracedStepObservesNothing() {
        assertThat(HostCallSpans.of(StepTracer.NO_SPAN)).isSameAs(CallObserver.NONE);
    }
}
