package io.argowasm.exec;

import io.argowasm.argo.NodePhase;
import io.argowasm.argo.NodeResult;
import io.argowasm.metrics.PluginMetrics.Reason;
import io.argowasm.wapc.ModuleKind;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The one log line of each finished invocation: which workflow, template and module (with the
 * digest that ran), how it ended and how long it took. Field names follow Argo's logs, so the
 * pipelines that parse those parse these.
 */
final class StepLog {

    private static final Logger log = LoggerFactory.getLogger(StepLog.class);

    private StepLog() {}

    /**
     * @param spec the template's plugin block, or null when it could not be parsed
     * @param sha256 the digest of the module that ran, or null when none was loaded
     * @param kind how the module ran (waPC or a WASI command), or null when none was loaded
     * @param node the result, or null when the invocation ended abnormally
     */
    static void finished(
            StepContext step,
            WasmPluginSpec spec,
            String sha256,
            ModuleKind kind,
            NodeResult node,
            Reason reason,
            long nanos) {
        NodePhase phase = node == null ? NodePhase.Failed : node.phase();
        Level level = phase == NodePhase.Failed ? Level.WARN : Level.INFO;
        if (!log.isEnabledForLevel(level)) {
            return;
        }
        LoggingEventBuilder line =
                log.atLevel(level)
                        .addKeyValue("namespace", step.namespace())
                        .addKeyValue("workflow", step.workflow())
                        .addKeyValue("workflowUID", step.uid())
                        .addKeyValue("template", step.template());
        if (spec != null) {
            line.addKeyValue("module", spec.module().describe())
                    .addKeyValue("operation", spec.operation());
        }
        if (sha256 != null) {
            line.addKeyValue("moduleSHA256", sha256);
        }
        if (kind != null) {
            line.addKeyValue("kind", kind.label());
        }
        line.addKeyValue("phase", phase.name())
                .addKeyValue("reason", reason.label())
                .addKeyValue("duration", GoDuration.format(Duration.ofNanos(nanos)));
        if (phase != NodePhase.Succeeded && node != null && node.message() != null) {
            line.addKeyValue("message", node.message());
        }
        line.log("step finished");
    }
}
