package io.argowasm.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.agent.FakeController.Removal;
import io.argowasm.exec.TemplateExecutor;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Three agents, each with a client of its own, share one mock API server through shard Leases:
 * every task runs once and every result is written once, also when one agent dies mid-run.
 */
@EnableKubernetesMockClient(crud = true)
class ScaleOutTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final int SHARDS = 12;
    private static final int AGENTS = 3;

    KubernetesMockServer server;
    KubernetesClient client;

    private static TemplateExecutor executor;
    private final WriteLog writes = new WriteLog();
    private final List<Replica> replicas = new ArrayList<>();
    private FakeController controller;

    /** One agent: its client, Leases, counted runner. */
    private record Replica(
            KubernetesClient client, LeasedShards shards, CountingRunner wasm, TaskSetAgent agent) {

        /** Dies: no release of its Leases, no more writes. */
        void kill() {
            client.close();
            agent.close();
        }
    }

    @BeforeAll
    static void compile() {
        executor = AgentTasks.executor();
    }

    @AfterAll
    static void closeExecutor() {
        executor.close();
    }

    @BeforeEach
    void start() throws Exception {
        server.expectCustomResource(TaskSetAgentTest.CRD);
        controller = new FakeController(client);
        for (int i = 0; i < AGENTS; i++) {
            KubernetesClient own = writes.client(server);
            LeasedShards shards =
                    new LeasedShards(
                            own,
                            new LeasedShards.Settings(
                                    "argo",
                                    "wasm-agent",
                                    "agent-" + i,
                                    SHARDS,
                                    Duration.ofSeconds(5),
                                    Duration.ofSeconds(4),
                                    Duration.ofSeconds(1)));
            CountingRunner wasm = new CountingRunner(new WasmTasks(executor));
            AgentSettings settings =
                    new AgentSettings(
                            List.of(),
                            null,
                            false,
                            SHARDS,
                            4,
                            8,
                            Duration.ofSeconds(1),
                            Duration.ofMinutes(5));
            TaskSetAgent agent = new TaskSetAgent(own, settings, wasm, null, shards);
            replicas.add(new Replica(own, shards, wasm, agent));
            agent.start();
        }
        awaitBalanced(replicas);
    }

    @AfterEach
    void stop() {
        replicas.forEach(r -> r.agent().close());
        replicas.forEach(r -> r.client().close());
    }

    @Test
    void manyTasksOverManyTaskSetsRunOnceAndAreWrittenOnce() throws Exception {
        int taskSets = 50;
        int tasksEach = 20;
        Map<String, String> uids = new LinkedHashMap<>();
        Map<String, List<String>> kept = new LinkedHashMap<>();
        Map<String, Long> droppedAt = new HashMap<>();
        for (int w = 0; w < taskSets; w++) {
            String name = "wf-" + w;
            Map<String, JsonNode> first = new HashMap<>();
            Map<String, JsonNode> second = new HashMap<>();
            List<String> nodes = new ArrayList<>();
            for (int t = 0; t < tasksEach; t++) {
                String node = name + "-" + t;
                (t % 2 == 0 ? first : second).put(node, AgentTasks.greet(node));
                nodes.add(node);
            }
            // A node the controller drops at once (stopped): whether it ran or not, no result
            // may remain for it.
            first.put(name + "-dropped", AgentTasks.greet("dropped"));
            uids.put(name, controller.create("argo", name, first).getMetadata().getUid());
            String removed =
                    controller.removeFinished(
                            "argo",
                            name,
                            List.of(name + "-dropped"),
                            w % 2 == 0 ? Removal.JSON_REMOVE : Removal.MERGE_NULL);
            droppedAt.put(name + "-dropped", Long.parseLong(removed));
            controller.addTasks("argo", name, second);
            kept.put(name, nodes);
        }

        for (Map.Entry<String, List<String>> e : kept.entrySet()) {
            Map<String, JsonNode> results =
                    controller.awaitResults("argo", e.getKey(), e.getValue(), PATIENCE);
            assertThat(results.keySet()).containsAll(e.getValue());
            for (String node : e.getValue()) {
                JsonNode result = results.get(node);
                assertThat(result.path("phase").asString()).isEqualTo("Succeeded");
                assertThat(result.at("/outputs/parameters/0/value").asString()).isEqualTo(node);
                assertThat(starts(uids.get(e.getKey()), node)).as(node).isEqualTo(1);
            }
        }
        assertWrittenOnce(kept);
        // A dropped node may have been written while it was in spec, never once it had left.
        for (WriteLog.Write write : writes.writes()) {
            for (String node : write.nodes()) {
                if (droppedAt.containsKey(node)) {
                    assertThat(write.resourceVersion()).as(node).isLessThan(droppedAt.get(node));
                }
            }
        }
        assertThat(replicas).allSatisfy(r -> assertThat(r.wasm().total()).isPositive());
    }

    @Test
    void aKilledAgentsShardsMoveAndItsTasksFinishElsewhereWrittenOnce() throws Exception {
        replicas.forEach(r -> r.wasm().hold());
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        for (int w = 0; w < 24; w++) {
            String name = "kill-" + w;
            Map<String, JsonNode> tasks = new HashMap<>();
            for (int t = 0; t < 5; t++) {
                tasks.put(name + "-" + t, AgentTasks.greet(name + "-" + t));
            }
            controller.create("argo", name, tasks);
            nodes.put(name, List.copyOf(tasks.keySet()));
        }
        // The replica with the most tasks running (held back) is the one that dies.
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (replicas.stream().allMatch(r -> r.wasm().total() == 0)) {
            assertThat(System.nanoTime()).as("an agent started tasks").isLessThan(deadline);
            Thread.sleep(10);
        }
        Replica doomed =
                replicas.stream()
                        .max(java.util.Comparator.comparingInt(r -> r.wasm().total()))
                        .orElseThrow();
        List<Replica> survivors = replicas.stream().filter(r -> r != doomed).toList();
        survivors.forEach(r -> r.wasm().release());

        doomed.kill();
        doomed.wasm().release();

        for (Map.Entry<String, List<String>> e : nodes.entrySet()) {
            controller.awaitResults("argo", e.getKey(), e.getValue(), PATIENCE);
        }
        assertWrittenOnce(nodes);
        assertThat(doomed.agent().resultsWritten()).isZero();
        // A shard of the dead agent with no task left moves only when its Lease expires, which
        // may be after every task has finished.
        awaitShards(survivors, "the survivors hold every shard", held -> true);
    }

    private int starts(String uid, String node) {
        return replicas.stream().mapToInt(r -> r.wasm().starts(uid, node)).sum();
    }

    /** Each kept node written exactly once; and no result left for a node not in spec. */
    private void assertWrittenOnce(Map<String, List<String>> kept) {
        Map<String, Long> byNode =
                writes.nodes().stream()
                        .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
        for (List<String> nodes : kept.values()) {
            for (String node : nodes) {
                assertThat(byNode.get(node)).as("writes of %s", node).isEqualTo(1L);
            }
        }
        for (String name : kept.keySet()) {
            TaskSet taskSet =
                    TaskSet.of(
                            client.genericKubernetesResources(TaskSet.CONTEXT)
                                    .inNamespace("argo")
                                    .withName(name)
                                    .get());
            assertThat(taskSet.tasks().keySet())
                    .containsAll(
                            taskSet.results().keySet().stream()
                                    .filter(node -> !node.endsWith("-dropped"))
                                    .toList());
        }
    }

    private static void awaitBalanced(List<Replica> replicas) throws InterruptedException {
        int share = (SHARDS + AGENTS - 1) / AGENTS;
        awaitShards(replicas, "shards balanced", held -> held.stream().allMatch(n -> n <= share));
    }

    /** Waits until the replicas hold every shard between them, spread as {@code spread} wants. */
    private static void awaitShards(
            List<Replica> replicas, String what, Predicate<List<Integer>> spread)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            List<Integer> held = replicas.stream().map(r -> r.shards().held()).toList();
            if (held.stream().mapToInt(Integer::intValue).sum() == SHARDS && spread.test(held)) {
                return;
            }
            assertThat(System.nanoTime()).as("%s; held %s", what, held).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
