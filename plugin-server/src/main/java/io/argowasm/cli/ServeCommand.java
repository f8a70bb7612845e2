package io.argowasm.cli;

import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.exec.GoDuration;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.metrics.BuildInfo;
import io.argowasm.module.ModuleStore;
import io.argowasm.module.oci.PullSecrets;
import io.argowasm.server.PluginServer;
import io.argowasm.server.TokenCheck;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the sidecar Argo's agent calls. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description =
                "Serve Argo's executor plugin API (POST /api/v1/template.execute, GET /healthz, GET"
                        + " /metrics).")
final class ServeCommand implements Callable<Integer> {

    @Mixin LogOptions logging;

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(
            names = Flags.PORT,
            defaultValue = "7490",
            description = "Port to listen on. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = Flags.HOST,
            defaultValue = "0.0.0.0",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(
            names = Flags.TOKEN_FILE,
            defaultValue = "/var/run/argo/token",
            description = "The agent's bearer token, as Argo mounts it. Default: ${DEFAULT-VALUE}.")
    Path tokenFile;

    @Option(
            names = Flags.NO_AUTH,
            description = "Accept requests without a token (local use only).")
    boolean noAuth;

    @Option(
            names = Flags.MAX_BODY_SIZE,
            converter = ByteQuantityConverter.class,
            paramLabel = "QUANTITY",
            defaultValue = "16Mi",
            description =
                    "The largest request body accepted; a larger one is answered 413. Default:"
                            + " ${DEFAULT-VALUE}.")
    long maxBodySize;

    @Option(
            names = Flags.EXIT_AFTER_WARMUP,
            hidden = true,
            description =
                    "Serve two steps to itself (the bundled greet example, and a module fetched"
                            + " over HTTP from loopback), then exit: the training run that records"
                            + " the class-data sharing archive or AOT cache at build time. Needs"
                            + " --no-auth --allow-http --allow-private-module-hosts.")
    boolean exitAfterWarmup;

    @Option(
            names = Flags.SHUTDOWN_GRACE,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            defaultValue = "20s",
            description =
                    "On SIGTERM, how long running steps may finish before they are stopped and"
                            + " reported failed. Default: ${DEFAULT-VALUE}.")
    Duration shutdownGrace;

    @Option(
            names = Flags.CLUSTER_PULL_SECRETS,
            negatable = true,
            description =
                    "Read registry logins for module.oci from the workflow's pull secrets"
                            + " (module.pullSecret, spec.imagePullSecrets) in the cluster."
                            + " Default: on in a pod (KUBERNETES_SERVICE_HOST is set), off"
                            + " elsewhere.")
    Boolean clusterPullSecrets;

    @Mixin RuntimeOptions runtime;

    @Mixin ArtifactOptions artifacts;

    /** Outside a pod no API server answers, and asking one would stall every private pull. */
    private boolean readsClusterPullSecrets() {
        return clusterPullSecrets != null
                ? clusterPullSecrets
                : System.getenv("KUBERNETES_SERVICE_HOST") != null;
    }

    @Override
    public Integer call() throws Exception {
        TokenCheck token = noAuth ? TokenCheck.disabled() : TokenCheck.fromFile(tokenFile);
        if (noAuth) {
            log.warn(
                    "{}: accepting requests without a token; never do this in a cluster",
                    Flags.NO_AUTH);
        }
        // Jetty asks the platform MBean server for the size of a reference unless it is told;
        // starting JMX for that alone costs start-up time and memory.
        System.setProperty(
                "org.eclipse.jetty.util.referencesPerCacheLine",
                System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16"));
        // A sidecar killed mid-step (OOM, eviction) left its workspaces; they are nobody's now.
        ArtifactWorkspaces.removeLeftovers(runtime.workDir);
        ModuleStore modules = runtime.moduleStore(true);
        TemplateExecutor executor =
                runtime.executor(
                        artifacts.workspaces(true, null),
                        modules,
                        true,
                        readsClusterPullSecrets()
                                ? artifacts.clusterPullSecrets()
                                : PullSecrets.NONE);
        PluginServer server = PluginServer.start(executor, token, host, port, maxBodySize);
        log.info(
                "wasm executor plugin {} ready on {}:{} in {} ms",
                BuildInfo.version(),
                host,
                server.port(),
                System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime());
        modules.prepareFetchesInBackground();
        if (exitAfterWarmup) {
            try {
                TrainingRun.against(host, server.port()).run();
            } finally {
                server.close();
                executor.close();
            }
            return Main.OK;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    log.info(
                                            "stopping: finishing running steps for up to {}",
                                            GoDuration.format(shutdownGrace));
                                    executor.shutdown(shutdownGrace);
                                    server.close();
                                    stopped.countDown();
                                },
                                "shutdown"));
        stopped.await();
        return Main.OK;
    }
}
