package io.argowasm.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.metrics.PluginMetrics.Phase;
import io.argowasm.metrics.PluginMetrics.Reason;
import io.argowasm.metrics.PluginMetrics.RequestResult;
import io.argowasm.metrics.PluginMetrics.Stage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code serve --no-metrics}: the same exposition, with nothing counted or timed. */
class PluginMetricsSwitchTest {

    private static PrometheusText after(PluginMetrics metrics) throws Exception {
        metrics.request(RequestResult.EXECUTED);
        metrics.stepFinished(Phase.SUCCEEDED, Reason.OK, 2_000_000);
        metrics.stage(Stage.CALL, 1_000_000);
        metrics.compiled(true, 5_000_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void recordingMetricsCountAndTime() throws Exception {
        PrometheusText text = after(new PluginMetrics("1.2.3", "1.7.5"));
        assertThat(text.value("wasm_executor_requests_total", "result", "executed")).isEqualTo(1);
        assertThat(text.value("wasm_executor_steps_total", "phase", "Succeeded", "reason", "ok"))
                .isEqualTo(1);
        assertThat(text.value("wasm_executor_module_compiles_total", "result", "ok")).isEqualTo(1);
    }

    @Test
    void metricsRecordingNothingServeTheSameNamesAtZero() throws Exception {
        PrometheusText text = after(PluginMetrics.recordingNothing("1.2.3", "1.7.5"));
        assertThat(text.value("wasm_executor_requests_total", "result", "executed")).isZero();
        assertThat(text.value("wasm_executor_steps_total", "phase", "Succeeded", "reason", "ok"))
                .isZero();
        assertThat(text.value("wasm_executor_module_compiles_total", "result", "ok")).isZero();
        assertThat(text.value("wasm_executor_build_info", "version", "1.2.3")).isEqualTo(1);
    }
}
