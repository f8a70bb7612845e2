package io.argowasm.cli;

import io.argowasm.agent.AgentProbes;
import io.argowasm.agent.AgentSettings;
import io.argowasm.agent.HttpTasks;
import io.argowasm.agent.LeasedShards;
import io.argowasm.agent.ShardOwnership;
import io.argowasm.agent.TaskSetAgent;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.exec.GoDuration;
import io.argowasm.exec.Quantity;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.metrics.BuildInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            names = "--namespace",
            paramLabel = "NAMESPACE",
            description =
                    "Serve task sets of this namespace only; repeatable. Task sets elsewhere are"
                            + " never read or written. Default: every namespace.")
    List<String> namespaces;

    @Option(
            names = "--instance-id",
            description =
                    "The workflow controller's instanceID: serve only its task sets (label"
                            + " workflows.argoproj.io/controller-instanceid). Default: none, as a"
                            + " controller without an instanceID.")
    String instanceId;

    @Option(
            names = "--fail-other-plugins",
            description =
                    "Fail tasks of other executor plugins with a message naming the plugin."
                            + " Default: leave them to another agent.")
    boolean failOtherPlugins;

    @Option(
            names = "--http-templates",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Run HTTP templates (under the module address rules). Default: on; turn off"
                            + " when another agent runs them.")
    boolean httpTemplates;

    @Option(
            names = "--max-http-response-size",
            defaultValue = "1Mi",
            description =
                    "The largest HTTP template response kept as outputs.result. Default:"
                            + " ${DEFAULT-VALUE}.")
    String maxHttpResponseSize;

    @Option(
            names = "--leases",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Share the task sets with other replicas through shard Leases. Default: on;"
                            + " --no-leases for a single replica that serves every shard.")
    boolean leases;

    @Option(
            names = "--shards",
            defaultValue = "32",
            description =
                    "How many shards task sets are divided into; the same on every replica."
                            + " Default: ${DEFAULT-VALUE}.")
    int shards;

    @Option(
            names = "--identity",
            description =
                    "This replica's name in the Leases, unique among replicas. Default: $POD_NAME,"
                            + " else $HOSTNAME.")
    String identity;

    @Option(
            names = "--lease-namespace",
            description =
                    "Where the Leases live. Default: $POD_NAMESPACE, else the ServiceAccount's"
                            + " namespace, else argo.")
    String leaseNamespace;

    @Option(
            names = "--lease-prefix",
            defaultValue = "wasm-agent",
            description = "The Leases' name prefix. Default: ${DEFAULT-VALUE}.")
    String leasePrefix;

    @Option(
            names = "--lease-duration",
            defaultValue = "15s",
            description =
                    "How long a dead replica's shards stay unserved before others take them."
                            + " Default: ${DEFAULT-VALUE}.")
    String leaseDuration;

    @Option(
            names = "--renew-deadline",
            defaultValue = "10s",
            description =
                    "How long a replica keeps trying to renew a Lease before giving the shard up."
                            + " Default: ${DEFAULT-VALUE}.")
    String renewDeadline;

    @Option(
            names = "--retry-period",
            defaultValue = "2s",
            description =
                    "How often Leases are renewed and shards balanced. Default: ${DEFAULT-VALUE}.")
    String retryPeriod;

    @Option(
            names = "--workers",
            defaultValue = "4",
            description = "Threads that reconcile task sets. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(
            names = "--writers",
            defaultValue = "8",
            description = "Threads that write results. Default: ${DEFAULT-VALUE}.")
    int writers;

    @Option(
            names = "--resync",
            defaultValue = "5m",
            description =
                    "How often every task set is looked at again without a change. Default:"
                            + " ${DEFAULT-VALUE}.")
    String resync;

    @Option(
            names = "--port",
            defaultValue = "7491",
            description = "Port of /healthz, /readyz and /metrics. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--host",
            defaultValue = "0.0.0.0",
            description = "Address of /healthz, /readyz and /metrics. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(
            names = "--shutdown-grace",
            defaultValue = "30s",
            description =
                    "On SIGTERM, how long running steps may finish and be written before the"
                            + " Leases are released; steps still running are left to the replica"
                            + " that takes their shard. Default: ${DEFAULT-VALUE}.")
    String shutdownGrace;

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
                        GoDuration.parse(runtime.requeue),
                        GoDuration.parse(resync));
        HttpTasks http =
                httpTemplates
                        ? new HttpTasks(
                                client,
                                runtime.sourcePolicy(true),
                                Quantity.parseBytes(maxHttpResponseSize))
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
                                    agent.shutdown(GoDuration.parse(shutdownGrace));
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
                        GoDuration.parse(leaseDuration),
                        GoDuration.parse(renewDeadline),
                        GoDuration.parse(retryPeriod)));
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
                "no identity for the Leases: set --identity, or POD_NAME from the pod's"
                        + " metadata.name");
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
