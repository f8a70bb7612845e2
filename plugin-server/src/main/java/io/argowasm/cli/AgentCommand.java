package io.argowasm.cli;

import io.argowasm.agent.AgentProbes;
import io.argowasm.agent.AgentSettings;
import io.argowasm.agent.HttpTasks;
import io.argowasm.agent.LeasedShards;
import io.argowasm.agent.ShardOwnership;
import io.argowasm.agent.TaskSetAgent;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.metrics.BuildInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the long-lived agent that serves WorkflowTaskSets (Argo 4.1 disableAgentPodCreation). */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        description =
                "Serve Argo's WorkflowTaskSets as a long-lived agent (Argo 4.1 and later with"
                        + " disableAgentPodCreation): run plugin: wasm and HTTP tasks in this"
                        + " process and write each result at once. Serves GET /healthz, /readyz"
                        + " and /metrics.")
final class AgentCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(AgentCommand.class);
    private static final Path SERVICE_ACCOUNT_NAMESPACE =
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    @Mixin LogOptions logging;

    @Option(
            names = Flags.NAMESPACE,
            paramLabel = "NAMESPACE",
            description =
                    "Serve task sets of this namespace only; repeatable. Task sets elsewhere are"
                            + " never read or written. Default: every namespace.")
    List<String> namespaces;

    @Option(
            names = Flags.INSTANCE_ID,
            description =
                    "The workflow controller's instanceID: serve only its task sets (label"
                            + " workflows.argoproj.io/controller-instanceid). Default: none, as a"
                            + " controller without an instanceID.")
    String instanceId;

    @Option(
            names = Flags.FAIL_OTHER_PLUGINS,
            description =
                    "Fail tasks of other executor plugins with a message naming the plugin."
                            + " Default: leave them to another agent.")
    boolean failOtherPlugins;

    @Option(
            names = Flags.HTTP_TEMPLATES,
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Run HTTP templates (under the module address rules). Default: on; turn off"
                            + " when another agent runs them.")
    boolean httpTemplates;

    @Option(
            names = Flags.MAX_HTTP_RESPONSE_SIZE,
            converter = ByteQuantityConverter.class,
            paramLabel = "QUANTITY",
            defaultValue = "1Mi",
            description =
                    "The largest HTTP template response kept as outputs.result. Default:"
                            + " ${DEFAULT-VALUE}.")
    long maxHttpResponseSize;

    @Option(
            names = Flags.LEASES,
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Share the task sets with other replicas through shard Leases. Default: on;"
                            + " --no-leases for a single replica that serves every shard.")
    boolean leases;

    @Option(
            names = Flags.SHARDS,
            defaultValue = "32",
            description =
                    "How many shards task sets are divided into; the same on every replica."
                            + " Default: ${DEFAULT-VALUE}.")
    int shards;

    @Option(
            names = Flags.IDENTITY,
            description =
                    "This replica's name in the Leases, unique among replicas. Default: $POD_NAME,"
                            + " else $HOSTNAME.")
    String identity;

    @Option(
            names = Flags.LEASE_NAMESPACE,
            description =
                    "Where the Leases live. Default: $POD_NAMESPACE, else the ServiceAccount's"
                            + " namespace, else argo.")
    String leaseNamespace;

    @Option(
            names = Flags.LEASE_PREFIX,
            defaultValue = "wasm-agent",
            description = "The Leases' name prefix. Default: ${DEFAULT-VALUE}.")
    String leasePrefix;

    @Option(
            names = Flags.LEASE_DURATION,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            defaultValue = "15s",
            description =
                    "How long a dead replica's shards stay unserved before others take them."
                            + " Default: ${DEFAULT-VALUE}.")
    Duration leaseDuration;

    @Option(
            names = Flags.RENEW_DEADLINE,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            defaultValue = "10s",
            description =
                    "How long a replica keeps trying to renew a Lease before giving the shard up."
                            + " Default: ${DEFAULT-VALUE}.")
    Duration renewDeadline;

    @Option(
            names = Flags.RETRY_PERIOD,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            defaultValue = "2s",
            description =
                    "How often Leases are renewed and shards balanced. Default: ${DEFAULT-VALUE}.")
    Duration retryPeriod;

    @Option(
            names = Flags.WORKERS,
            defaultValue = "4",
            description = "Threads that reconcile task sets. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(
            names = Flags.WRITERS,
            defaultValue = "8",
            description = "Threads that write results. Default: ${DEFAULT-VALUE}.")
    int writers;

    @Option(
            names = Flags.RESYNC,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            defaultValue = "5m",
            description =
                    "How often every task set is looked at again without a change. Default:"
                            + " ${DEFAULT-VALUE}.")
    Duration resync;

    @Option(
            names = Flags.PORT,
            defaultValue = "7491",
            description = "Port of /healthz, /readyz and /metrics. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = Flags.HOST,
            defaultValue = "0.0.0.0",
            description = "Address of /healthz, /readyz and /metrics. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(
            names = Flags.SHUTDOWN_GRACE,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            defaultValue = "30s",
            description =
                    "On SIGTERM, how long running steps may finish and be written before the"
                            + " Leases are released; steps still running are left to the replica"
                            + " that takes their shard. Default: ${DEFAULT-VALUE}.")
    Duration shutdownGrace;

    @Mixin RuntimeOptions runtime;

    @Mixin ArtifactOptions artifacts;

    @Override
    public Integer call() throws Exception {
        ArtifactWorkspaces.removeLeftovers(runtime.workDir);
        KubernetesClient client = new KubernetesClientBuilder().build();
        TemplateExecutor executor = runtime.executor(artifacts.workspaces(true, null), true);
        AgentSettings settings =
                new AgentSettings(
                        namespaces == null ? List.of() : namespaces,
                        instanceId,
                        failOtherPlugins,
                        shards,
                        workers,
                        writers,
                        runtime.requeue,
                        resync);
        HttpTasks http =
                httpTemplates
                        ? new HttpTasks(client, runtime.sourcePolicy(true), maxHttpResponseSize)
                        : null;
        ShardOwnership owned = leases ? leasedShards(client) : ShardOwnership.all();
        TaskSetAgent agent = TaskSetAgent.create(client, settings, executor, http, owned);
        executor.metrics()
                .gauge(
                        "wasm_executor_agent_results_written",
                        "results this agent wrote into task sets",
                        agent::resultsWritten);
        executor.metrics()
                .gauge(
                        "wasm_executor_agent_tasks_running",
                        "tasks this agent runs now (wasm and HTTP)",
                        agent::running);
        AgentProbes probes = AgentProbes.start(host, port, agent::synced, executor.metrics());
        agent.start();
        log.info(
                "wasm executor agent {} serving task sets of {} on shards as {}; probes on {}:{}",
                BuildInfo.version(),
                settings.namespaces().isEmpty() ? "every namespace" : settings.namespaces(),
                leases ? identity() : "the only replica",
                host,
                probes.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    agent.shutdown(shutdownGrace);
                                    executor.close();
                                    probes.close();
                                    client.close();
                                    stopped.countDown();
                                },
                                "shutdown"));
        stopped.await();
        return Main.OK;
    }

    private LeasedShards leasedShards(KubernetesClient client) {
        return new LeasedShards(
                client,
                new LeasedShards.Settings(
                        leaseNamespace(),
                        leasePrefix,
                        identity(),
                        shards,
                        leaseDuration,
                        renewDeadline,
                        retryPeriod));
    }

    private String identity() {
        if (identity != null) {
            return identity;
        }
        for (String variable : List.of("POD_NAME", "HOSTNAME")) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        throw new IllegalArgumentException(
                "no identity for the Leases: set %s, or POD_NAME from the pod's metadata.name"
                        .formatted(Flags.IDENTITY));
    }

    private String leaseNamespace() {
        if (leaseNamespace != null) {
            return leaseNamespace;
        }
        String pod = System.getenv("POD_NAMESPACE");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
        } catch (IOException e) {
            return "argo";
        }
    }
}
