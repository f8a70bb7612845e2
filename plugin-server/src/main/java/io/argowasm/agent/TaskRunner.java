package io.argowasm.agent;

import tools.jackson.databind.JsonNode;

/** Runs one kind of task of a task set: wasm steps, HTTP requests. */
interface TaskRunner {

    /**
     * Starts the task without blocking the caller.
     *
     * @param template the task's template as the controller wrote it into {@code spec.tasks}
     */
    RunningTask start(TaskSet taskSet, String nodeId, JsonNode template);
}
