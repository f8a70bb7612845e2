package io.argowasm.bench;

import io.argowasm.agent.AgentSettings;
import io.argowasm.agent.LeasedShards;
import io.argowasm.agent.ShardOwnership;
import io.argowasm.agent.TaskSetAgent;
import io.argowasm.argo.Json;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The long-lived agent against fabric8's mock API server in CRUD mode: the latency from a task set
 * written to its result patched, for a warm module, one task set at a time; and tasks per second
 * with 1 and 3 agents (separate clients, shard Leases). {@code benchmarks/run.sh} runs it for the
 * "Agent mode" section of docs/performance.md; {@code benchmarks/agent.sh} runs it alone and prints
 * the figures as table rows: arguments are the greet module, the latency runs, the task sets and
 * the tasks in each.
 */
public final class AgentRun {

    private static final ResourceDefinitionContext TASK_SETS =
            new ResourceDefinitionContext.Builder()
                    .withGroup("argoproj.io")
                    .withVersion("v1alpha1")
                    .withPlural("workflowtasksets")
                    .withKind("WorkflowTaskSet")
                    .withNamespaced(true)
                    .build();

    private final Path module;
    private final Map<String, Long> patchedAt = new ConcurrentHashMap<>();
    private final AtomicInteger patches = new AtomicInteger();

    private AgentRun(Path module) {
        this.module = module;
    }

    /**
     * What one run measured.
     *
     * @param latencyMillis task set written → result patched, one task set at a time
     * @param oneAgentPerSecond tasks per second with one agent
     * @param threeAgentsPerSecond tasks per second with three agents sharing the shards
     */
    record Result(
            Samples latencyMillis,
            double oneAgentPerSecond,
            double threeAgentsPerSecond,
            int warmupRuns,
            int taskSets,
            int tasksEach) {}

    public static void main(String[] args) throws Exception {
        Path module = Path.of(args.length > 0 ? args[0] : "examples/modules/greet/greet.wasm");
        int latencyRuns = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int taskSets = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int tasksEach = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Result result = measure(module, latencyRuns, taskSets, tasksEach);
        System.out.printf(
                "| task set written → result patched, p50 | %.2f ms |%n",
                result.latencyMillis().median());
        System.out.printf(
                "| task set written → result patched, p99 | %.2f ms |%n",
                result.latencyMillis().percentile(99));
        System.out.printf(
                "| throughput, 1 agent (%d tasks over %d task sets) | %.0f tasks/s |%n",
                taskSets * tasksEach, taskSets, result.oneAgentPerSecond());
        System.out.printf(
                "| throughput, 3 agents (%d tasks over %d task sets) | %.0f tasks/s |%n",
                taskSets * tasksEach, taskSets, result.threeAgentsPerSecond());
    }

    /**
     * Measures the agent with the greet module at {@code module}: {@code latencyRuns} measured task
     * sets of one task (after a tenth as many, at least 10, unmeasured), then {@code taskSets} of
     * {@code tasksEach} tasks with 1 and with 3 agents.
     */
    static Result measure(Path module, int latencyRuns, int taskSets, int tasksEach)
            throws Exception {
        // The mock server logs every request through java.util.logging: measure the agent, not
        // that.
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
                .setLevel(java.util.logging.Level.WARNING);
        return new AgentRun(module).run(latencyRuns, taskSets, tasksEach);
    }

    private Result run(int latencyRuns, int taskSets, int tasksEach) throws Exception {
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(64L << 20, Duration.ofSeconds(10)), 64L << 20, 16);
        try (TemplateExecutor executor =
                TemplateExecutor.builder(Json.mapper(), store).maxConcurrent(16).build()) {
            double[] latency = latency(executor, latencyRuns);
            double one = throughput(executor, 1, taskSets, tasksEach);
            double three = throughput(executor, 3, taskSets, tasksEach);
            return new Result(
                    Samples.of(latency), one, three, warmupRuns(latencyRuns), taskSets, tasksEach);
        }
    }

    private static int warmupRuns(int runs) {
        return Math.max(10, runs / 10);
    }

    /** One task set with one task at a time; the first tenth warms the module and the JIT. */
    private double[] latency(TemplateExecutor executor, int runs) throws Exception {
        KubernetesMockServer server = server();
        List<TaskSetAgent> agents = agents(server, executor, 1);
        KubernetesClient controller = server.createClient();
        int warmup = warmupRuns(runs);
        double[] millis = new double[runs];
        for (int i = 0; i < warmup + runs; i++) {
            String name = "latency-" + i;
            long start = System.nanoTime();
            create(controller, name, 1);
            Long done;
            while ((done = patchedAt.get(name)) == null) {
                Thread.onSpinWait();
            }
            if (i >= warmup) {
                millis[i - warmup] = (done - start) / 1e6;
            }
        }
        stop(agents, controller, server);
        return millis;
    }

    /** Creates every task set at once, then waits for every result: tasks per second. */
    private double throughput(TemplateExecutor executor, int agentCount, int sets, int each)
            throws Exception {
        KubernetesMockServer server = server();
        List<TaskSetAgent> agents = agents(server, executor, agentCount);
        KubernetesClient controller = server.createClient();
        if (agentCount > 1) {
            Thread.sleep(15_000); // the Leases settle: every shard held, balanced
        }
        int before = patches.get();
        long start = System.nanoTime();
        for (int i = 0; i < sets; i++) {
            create(controller, "load-" + agentCount + "-" + i, each);
        }
        while (patches.get() - before < sets * each) {
            Thread.sleep(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        stop(agents, controller, server);
        return sets * each / seconds;
    }

    private static KubernetesMockServer server() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server =
                new KubernetesMockServer(
                        new Context(),
                        new MockWebServer(),
                        responses,
                        new KubernetesMixedDispatcher(responses),
                        false);
        server.init();
        server.expectCustomResource(
                new CustomResourceDefinitionContext.Builder()
                        .withGroup("argoproj.io")
                        .withVersion("v1alpha1")
                        .withPlural("workflowtasksets")
                        .withKind("WorkflowTaskSet")
                        .withScope("Namespaced")
                        .withStatusSubresource(true)
                        .build());
        return server;
    }

    private List<TaskSetAgent> agents(
            KubernetesMockServer server, TemplateExecutor executor, int count) {
        List<TaskSetAgent> agents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            KubernetesClient client =
                    server.createClient(
                            b ->
                                    b.withHttpClientBuilderConsumer(
                                            h ->
                                                    h.addOrReplaceInterceptor(
                                                            "patched", new Patched())));
            ShardOwnership shards =
                    count == 1
                            ? ShardOwnership.all()
                            : new LeasedShards(
                                    client,
                                    new LeasedShards.Settings(
                                            "argo",
                                            "wasm-agent",
                                            "agent-" + i,
                                            12,
                                            Duration.ofSeconds(4),
                                            Duration.ofSeconds(3),
                                            Duration.ofMillis(500)));
            AgentSettings settings =
                    new AgentSettings(
                            List.of(),
                            null,
                            false,
                            12,
                            4,
                            8,
                            Duration.ofSeconds(1),
                            Duration.ofMinutes(5));
            TaskSetAgent agent = TaskSetAgent.create(client, settings, executor, null, shards);
            agent.start();
            agents.add(agent);
        }
        return agents;
    }

    private static void stop(
            List<TaskSetAgent> agents, KubernetesClient controller, KubernetesMockServer server) {
        agents.forEach(TaskSetAgent::close);
        controller.close();
        server.destroy();
    }

    /** A task set as the controller creates it, with {@code tasks} greet tasks. */
    private void create(KubernetesClient client, String name, int tasks) {
        Map<String, Object> spec = new HashMap<>();
        for (int t = 0; t < tasks; t++) {
            spec.put(
                    name + "-" + t,
                    Json.mapper()
                            .convertValue(
                                    Json.mapper()
                                            .readTree(
                                                    """
                                                    {"name":"greet","inputs":{"parameters":[{"name":"text","value":"%s"}]},
                                                     "outputs":{"parameters":[{"name":"greeting"}]},"metadata":{},
                                                     "plugin":{"wasm":{"module":{"file":"%s"},"operation":"greet"}}}
                                                    """
                                                            .formatted(
                                                                    name, module.toAbsolutePath())),
                                    Map.class));
        }
        GenericKubernetesResource resource =
                new GenericKubernetesResourceBuilder()
                        .withApiVersion("argoproj.io/v1alpha1")
                        .withKind("WorkflowTaskSet")
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace("argo")
                        .addNewOwnerReference()
                        .withApiVersion("argoproj.io/v1alpha1")
                        .withKind("Workflow")
                        .withName(name)
                        .withUid(UUID.randomUUID().toString())
                        .endOwnerReference()
                        .endMetadata()
                        .build();
        resource.setAdditionalProperty("spec", Map.of("tasks", spec));
        client.genericKubernetesResources(TASK_SETS)
                .inNamespace("argo")
                .resource(resource)
                .create();
    }

    /** Notes when each task set's result patch was accepted. */
    private final class Patched implements Interceptor {
        @Override
        public void after(
                HttpRequest request,
                HttpResponse<?> response,
                AsyncBody.Consumer<List<ByteBuffer>> consumer) {
            String path = request.uri().getPath();
            if (request.method().equals("PATCH")
                    && path.endsWith("/status")
                    && response.isSuccessful()) {
                String name = path.substring(0, path.length() - "/status".length());
                patchedAt.putIfAbsent(name.substring(name.lastIndexOf('/') + 1), System.nanoTime());
                patches.incrementAndGet();
            }
        }
    }
}
