package io.argowasm.agent;

import io.argowasm.argo.Json;
import io.argowasm.argo.NodeResult;
import io.argowasm.argo.Template;
import io.argowasm.exec.StartedStep;
import io.argowasm.exec.TemplateExecutor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Runs {@code plugin: wasm} tasks in this process through the same executor as the sidecar: the
 * same limits, guest contract, artifacts and budgets, but one step per node, never joined by
 * template.
 */
final class WasmTasks implements TaskRunner {

    private final TemplateExecutor executor;

    WasmTasks(TemplateExecutor executor) {
        this.executor = executor;
    }

    @Override
    public RunningTask start(TaskSet taskSet, String nodeId, JsonNode template) {
        Template parsed;
        try {
            parsed = Json.mapper().treeToValue(template, Template.class);
        } catch (JacksonException e) {
            return RunningTask.finished(
                    NodeResult.failed(
                            "the task's template could not be read: %s"
                                    .formatted(e.getOriginalMessage())));
        }
        StartedStep step = executor.start(taskSet.workflow(), nodeId, parsed);
        return new RunningTask(step.result(), step::stop);
    }
}
