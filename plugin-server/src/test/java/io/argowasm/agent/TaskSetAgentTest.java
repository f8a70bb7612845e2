package io.argowasm.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.agent.FakeController.Removal;
import io.argowasm.exec.TemplateExecutor;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * One agent against fabric8's mock API server (CRUD mode, the WorkflowTaskSet CRD with its status
 * subresource) and a fake controller sending Argo's requests: what it writes, when it runs a task
 * and when it must not.
 */
@EnableKubernetesMockClient(crud = true)
class TaskSetAgentTest {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Argo's CRD has {@code subresources: status: {}}; without it the mock keeps status on PUT. */
    static final CustomResourceDefinitionContext CRD =
            new CustomResourceDefinitionContext.Builder()
                    .withGroup(TaskSet.GROUP)
                    .withVersion(TaskSet.VERSION)
                    .withPlural(TaskSet.PLURAL)
                    .withKind(TaskSet.KIND)
                    .withScope("Namespaced")
                    .withStatusSubresource(true)
                    .build();

    KubernetesMockServer server;
    KubernetesClient client;

    private static TemplateExecutor executor;
    private final List<TaskSetAgent> agents = new ArrayList<>();
    private final WriteLog writes = new WriteLog();
    private FakeController controller;

    @BeforeAll
    static void compile() {
        executor = AgentTasks.executor();
    }

    @AfterAll
    static void closeExecutor() {
        executor.close();
    }

    @BeforeEach
    void registerCrd() {
        server.expectCustomResource(CRD);
        controller = new FakeController(client);
    }

    @AfterEach
    void stopAgents() {
        agents.forEach(TaskSetAgent::close);
    }

    private TaskSetAgent agent(CountingRunner wasm, AgentSettings settings) {
        TaskSetAgent agent =
                new TaskSetAgent(writes.client(server), settings, wasm, null, ShardOwnership.all());
        agents.add(agent);
        agent.start();
        return agent;
    }

    private static CountingRunner wasm() {
        return new CountingRunner(new WasmTasks(executor));
    }

    @Test
    void oneTaskIsRunAndExactlyItsNodeIsWrittenInArgosShape() throws Exception {
        CountingRunner wasm = wasm();
        agent(wasm, AgentSettings.defaults());
        String uid =
                controller
                        .create("argo", "hello-wf", Map.of("hello-wf-1", AgentTasks.greet("hi")))
                        .getMetadata()
                        .getUid();

        Map<String, JsonNode> results =
                controller.awaitResults("argo", "hello-wf", List.of("hello-wf-1"), PATIENCE);

        JsonNode node = results.get("hello-wf-1");
        assertThat(node.path("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        assertThat(node.at("/outputs/parameters/0/name").asString()).isEqualTo("greeting");
        assertThat(node.at("/outputs/parameters/0/value").asString()).isEqualTo("hi");
        assertThat(node.propertyNames()).isSubsetOf("phase", "message", "outputs");
        assertThat(node.get("outputs").propertyNames())
                .isSubsetOf("parameters", "artifacts", "result", "exitCode");
        assertThat(wasm.starts(uid, "hello-wf-1")).isEqualTo(1);

        assertThat(writes.writes()).hasSize(1);
        WriteLog.Write write = writes.writes().get(0);
        assertThat(write.path())
                .isEqualTo(
                        "/apis/argoproj.io/v1alpha1/namespaces/argo/workflowtasksets/hello-wf/status");
        assertThat(patchContentTypes(write.path())).containsExactly("application/merge-patch+json");
        JsonNode body = write.body();
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("metadata", "status");
        assertThat(body.get("metadata").propertyNames()).containsExactly("resourceVersion");
        assertThat(body.get("status").propertyNames()).containsExactly("nodes");
        assertThat(body.at("/status/nodes").propertyNames()).containsExactly("hello-wf-1");
    }

    @ParameterizedTest
    @EnumSource(Removal.class)
    void aRetriedNodeRunsAgainButNotInTheGapBetweenTheRemovalPatches(Removal removal)
            throws Exception {
        CountingRunner wasm = wasm();
        agent(wasm, AgentSettings.defaults());
        String uid =
                controller
                        .create("argo", "retry-wf", Map.of("retry-wf-1", AgentTasks.greet("one")))
                        .getMetadata()
                        .getUid();
        controller.awaitResults("argo", "retry-wf", List.of("retry-wf-1"), PATIENCE);

        controller.removeFinished("argo", "retry-wf", List.of("retry-wf-1"), removal);
        // A second task proves the agent has seen the removal before the node comes back.
        controller.addTasks("argo", "retry-wf", Map.of("retry-wf-2", AgentTasks.greet("two")));
        controller.awaitResults("argo", "retry-wf", List.of("retry-wf-2"), PATIENCE);
        assertThat(wasm.starts(uid, "retry-wf-1")).isEqualTo(1);

        controller.addTasks("argo", "retry-wf", Map.of("retry-wf-1", AgentTasks.greet("again")));
        Map<String, JsonNode> results =
                controller.awaitResults("argo", "retry-wf", List.of("retry-wf-1"), PATIENCE);

        assertThat(results.get("retry-wf-1").at("/outputs/parameters/0/value").asString())
                .isEqualTo("again");
        assertThat(wasm.starts(uid, "retry-wf-1")).isEqualTo(2);
        assertThat(wasm.starts(uid, "retry-wf-2")).isEqualTo(1);
    }

    @Test
    void identicalTemplatesOfTwoNodesRunSeparately() throws Exception {
        CountingRunner wasm = wasm();
        agent(wasm, AgentSettings.defaults());
        String uid =
                controller
                        .create(
                                "argo",
                                "twins",
                                Map.of(
                                        "twins-1", AgentTasks.greet("same"),
                                        "twins-2", AgentTasks.greet("same")))
                        .getMetadata()
                        .getUid();

        controller.awaitResults("argo", "twins", List.of("twins-1", "twins-2"), PATIENCE);

        assertThat(wasm.starts(uid, "twins-1")).isEqualTo(1);
        assertThat(wasm.starts(uid, "twins-2")).isEqualTo(1);
    }

    @Test
    void aRestartFindingResultsInStatusRunsNothingAgain() throws Exception {
        CountingRunner first = wasm();
        TaskSetAgent before = agent(first, AgentSettings.defaults());
        String uid =
                controller
                        .create("argo", "restart", Map.of("restart-1", AgentTasks.greet("x")))
                        .getMetadata()
                        .getUid();
        controller.awaitResults("argo", "restart", List.of("restart-1"), PATIENCE);
        before.close();

        CountingRunner second = wasm();
        agent(second, AgentSettings.defaults());
        // The new task's result shows the second agent has reconciled this task set.
        controller.addTasks("argo", "restart", Map.of("restart-2", AgentTasks.greet("y")));
        controller.awaitResults("argo", "restart", List.of("restart-2"), PATIENCE);

        assertThat(second.starts(uid, "restart-1")).isZero();
        assertThat(second.starts(uid, "restart-2")).isEqualTo(1);
        assertThat(first.starts(uid, "restart-1")).isEqualTo(1);
    }

    @Test
    void aNodeThatLeftSpecWhileItRanIsNeverWritten() throws Exception {
        CountingRunner wasm = wasm();
        wasm.hold();
        agent(wasm, AgentSettings.defaults());
        String uid =
                controller
                        .create("argo", "stopped", Map.of("stopped-1", AgentTasks.greet("late")))
                        .getMetadata()
                        .getUid();
        awaitStarted(wasm, uid, "stopped-1");

        controller.removeFinished("argo", "stopped", List.of("stopped-1"), Removal.JSON_REMOVE);
        controller.addTasks("argo", "stopped", Map.of("stopped-2", AgentTasks.greet("on")));
        // The agent has seen stopped-1 leave once it starts stopped-2: its watch delivers the
        // task set's changes in order. Only then may stopped-1 finish.
        awaitStarted(wasm, uid, "stopped-2");
        wasm.release();
        controller.awaitResults("argo", "stopped", List.of("stopped-2"), PATIENCE);

        assertThat(controller.results("argo", "stopped")).doesNotContainKey("stopped-1");
        assertThat(writtenNodes()).containsExactly("stopped-2");
    }

    @Test
    void tasksOfOtherPluginsAreLeftAloneByDefault() throws Exception {
        CountingRunner wasm = wasm();
        agent(wasm, AgentSettings.defaults());
        controller.create(
                "argo",
                "mixed",
                Map.of(
                        "mixed-1", AgentTasks.greet("mine"),
                        "mixed-2", AgentTasks.otherPlugin("hello")));

        controller.awaitResults("argo", "mixed", List.of("mixed-1"), PATIENCE);

        assertThat(controller.results("argo", "mixed")).containsOnlyKeys("mixed-1");
        assertThat(writtenNodes()).containsExactly("mixed-1");
    }

    @Test
    void withFailOtherPluginsTheirTasksFailNamingThePlugin() throws Exception {
        agent(wasm(), AgentSettings.defaults().withFailOtherPlugins(true));
        controller.create("argo", "foreign", Map.of("foreign-1", AgentTasks.otherPlugin("hello")));

        JsonNode node =
                controller
                        .awaitResults("argo", "foreign", List.of("foreign-1"), PATIENCE)
                        .get("foreign-1");

        assertThat(node.path("phase").asString()).isEqualTo("Failed");
        assertThat(node.path("message").asString())
                .contains("plugin 'hello'")
                .contains("--fail-other-plugins");
    }

    @Test
    void aNamespaceOutsideTheAllowListIsUntouched() throws Exception {
        CountingRunner wasm = wasm();
        agent(wasm, AgentSettings.defaults().withNamespaces(List.of("team-a")));
        controller.create("team-b", "outside", Map.of("outside-1", AgentTasks.greet("no")));
        controller.create("team-a", "inside", Map.of("inside-1", AgentTasks.greet("yes")));

        controller.awaitResults("team-a", "inside", List.of("inside-1"), PATIENCE);

        assertThat(controller.results("team-b", "outside")).isEmpty();
        assertThat(wasm.total()).isEqualTo(1);
        assertThat(writtenNodes()).containsExactly("inside-1");
    }

    @Test
    void taskSetsOfAnotherControllerInstanceAreUntouched() throws Exception {
        CountingRunner wasm = wasm();
        agent(wasm, AgentSettings.defaults().withInstanceId("blue"));
        new FakeController(client, "green")
                .create("argo", "green-wf", Map.of("green-1", AgentTasks.greet("no")));
        FakeController blue = new FakeController(client, "blue");
        blue.create("argo", "blue-wf", Map.of("blue-1", AgentTasks.greet("yes")));

        blue.awaitResults("argo", "blue-wf", List.of("blue-1"), PATIENCE);

        assertThat(controller.results("argo", "green-wf")).isEmpty();
        assertThat(wasm.total()).isEqualTo(1);
    }

    @Test
    void onShutdownARunningStepFinishesAndIsWrittenBeforeTheAgentStops() throws Exception {
        CountingRunner wasm = wasm();
        wasm.hold();
        TaskSetAgent agent = agent(wasm, AgentSettings.defaults());
        String uid =
                controller
                        .create("argo", "drain", Map.of("drain-1", AgentTasks.greet("last")))
                        .getMetadata()
                        .getUid();
        awaitStarted(wasm, uid, "drain-1");

        Thread stopping = new Thread(() -> agent.shutdown(PATIENCE));
        stopping.start();
        wasm.release();
        stopping.join(PATIENCE.toMillis());

        assertThat(stopping.isAlive()).as("shutdown returned").isFalse();
        assertThat(controller.results("argo", "drain")).containsKey("drain-1");
        assertThat(writes.nodes()).containsExactly("drain-1");
    }

    private static void awaitStarted(CountingRunner runner, String uid, String node)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (runner.starts(uid, node) == 0) {
            assertThat(System.nanoTime()).as("%s started", node).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** The Content-Type of each PATCH the mock server received on a path. */
    private List<String> patchContentTypes(String path) throws InterruptedException {
        List<String> types = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            if (request.getMethod().equals("PATCH") && request.getPath().equals(path)) {
                types.add(request.getHeader("Content-Type"));
            }
        }
        return types;
    }

    /** The node ids of every result an agent wrote. */
    private List<String> writtenNodes() {
        return writes.nodes();
    }
}
