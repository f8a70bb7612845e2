package io.argowasm.cli;

import io.argowasm.argo.Json;
import io.argowasm.artifacts.ArchiveLimits;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.budget.MemoryBudget;
import io.argowasm.exec.ExecutionLimits;
import io.argowasm.exec.GuestLogs;
import io.argowasm.exec.HttpCapability;
import io.argowasm.exec.PayloadLimits;
import io.argowasm.exec.Quantity;
import io.argowasm.exec.StepTracer;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.metrics.BuildInfo;
import io.argowasm.metrics.PluginMetrics;
import io.argowasm.module.BundledModules;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleSourcePolicy;
import io.argowasm.module.ModuleStore;
import io.argowasm.module.oci.OciModules;
import io.argowasm.module.oci.PullSecrets;
import io.argowasm.module.oci.RegistryClient;
import io.argowasm.module.oci.RegistryCredentials;
import io.argowasm.wapc.CompileCache;
import io.argowasm.wapc.FirstCalls;
import io.argowasm.wapc.GuestOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/** Options shared by every command that runs guests: limits, concurrency, module caps. */
final class RuntimeOptions {

    @Option(
            names = Flags.MAX_CONCURRENT,
            defaultValue = "16",
            description =
                    "Guests running at once; more requests wait, then answer Pending. Default:"
                            + " ${DEFAULT-VALUE}.")
    int maxConcurrent;

    @Option(
            names = Flags.DEFAULT_TIMEOUT,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            defaultValue = "60s",
            description =
                    "Wall time of an invocation whose template sets no limits.timeout. Default:"
                            + " ${DEFAULT-VALUE}.")
    Duration defaultTimeout;

    @Option(
            names = Flags.MAX_TIMEOUT,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            defaultValue = "1h",
            description =
                    "The longest limits.timeout a template may ask for. Default: ${DEFAULT-VALUE}.")
    Duration maxTimeout;

    @Option(
            names = Flags.DEFAULT_MEMORY,
            converter = ByteQuantityConverter.class,
            paramLabel = "QUANTITY",
            defaultValue = "64Mi",
            description =
                    "Guest memory cap when the template sets no limits.memory. Default:"
                            + " ${DEFAULT-VALUE}.")
    long defaultMemory;

    @Option(
            names = Flags.MAX_MEMORY,
            converter = ByteQuantityConverter.class,
            paramLabel = "QUANTITY",
            defaultValue = "1Gi",
            description =
                    "The largest limits.memory a template may ask for. Default: ${DEFAULT-VALUE}.")
    long maxMemory;

    @Option(
            names = Flags.MAX_MODULE_SIZE,
            converter = ByteQuantityConverter.class,
            paramLabel = "QUANTITY",
            defaultValue = "64Mi",
            description =
                    "The largest module accepted from a URL or file. Default: ${DEFAULT-VALUE}.")
    long maxModuleSize;

    static final String DEFAULT_MODULE_DIR = "/modules";

    @Option(
            names = Flags.MODULE_DIR,
            paramLabel = "DIR",
            description =
                    "A directory module.file may name modules in (links followed); repeatable."
                            + " Default: "
                            + DEFAULT_MODULE_DIR
                            + " for serve, anywhere for run and dry-run.")
    List<Path> moduleDirs;

    @Option(
            names = Flags.MODULE_HOSTS,
            split = ",",
            paramLabel = "GLOB",
            defaultValue = "*",
            description =
                    "Hosts modules may be fetched from, and redirected to: names or globs such as"
                            + " *.example.com, comma-separated. Default: ${DEFAULT-VALUE} (any"
                            + " host).")
    List<String> moduleHosts;

    @Option(
            names = Flags.ALLOW_HTTP,
            negatable = true,
            description =
                    "Fetch modules over plain http too. Default: off for serve, on for run and"
                            + " dry-run.")
    Boolean allowHttp;

    @Option(
            names = Flags.ALLOW_PRIVATE_MODULE_HOSTS,
            negatable = true,
            description =
                    "Fetch modules from loopback, link-local (cloud metadata), private and other"
                            + " non-public addresses too. Default: off for serve, on for run and"
                            + " dry-run.")
    Boolean allowPrivateModuleHosts;

    @Option(
            names = Flags.ALLOW_INSECURE_REGISTRIES,
            split = ",",
            paramLabel = "HOST",
            description =
                    "Registries (host or host:port) module.oci may reach over plain http,"
                            + " comma-separated or repeated; all others over https. Default:"
                            + " none.")
    List<String> insecureRegistries;

    @Option(
            names = Flags.TAG_TTL,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "How long the manifest digest a module.oci tag resolved to is kept before"
                            + " the tag is resolved again, e.g. 5m. Default: for the life of the"
                            + " process (pin a digest or restart to pick up a moved tag).")
    Duration tagTtl;

    @Option(
            names = Flags.REGISTRY_CONFIG,
            paramLabel = "FILE",
            description =
                    "A Docker config file whose auths give registry logins for module.oci."
                            + " Default: ~/.docker/config.json (if present) for run and dry-run;"
                            + " none for serve.")
    Path registryConfig;

    @Option(
            names = Flags.MAX_INPUT_SIZE,
            converter = ByteQuantityConverter.class,
            paramLabel = "QUANTITY",
            defaultValue = "4Mi",
            description =
                    "The most a step's input parameter values may hold together. Default:"
                            + " ${DEFAULT-VALUE}.")
    long maxInputSize;

    @Option(
            names = Flags.MAX_RESPONSE_SIZE,
            converter = ByteQuantityConverter.class,
            paramLabel = "QUANTITY",
            defaultValue = "16Mi",
            description = "The largest response a guest may hand back. Default: ${DEFAULT-VALUE}.")
    long maxResponseSize;

    @Option(
            names = Flags.MAX_OUTPUT_SIZE,
            converter = ByteQuantityConverter.class,
            defaultValue = "1Mi",
            description =
                    "The most a step's output parameter values may hold together; they are kept"
                            + " in the Workflow object. Default: ${DEFAULT-VALUE}.")
    long maxOutputSize;

    @Option(
            names = Flags.MAX_MODULES,
            defaultValue = "64",
            description =
                    "Compiled modules kept in memory (least recently used go first). Default:"
                            + " ${DEFAULT-VALUE}.")
    int maxModules;

    @Option(
            names = Flags.COMPILE_CACHE,
            paramLabel = "DIR",
            description =
                    "Keep compiled guest code in DIR, so a restarted sidecar loads the modules it"
                            + " has seen without compiling them again. Only the sidecar may write"
                            + " there. Default: off.")
    Path compileCache;

    @Option(
            names = Flags.FIRST_CALLS,
            defaultValue = "compiled",
            paramLabel = "compiled|interpreted",
            description =
                    "How the first calls of a module not compiled yet run: interpreted (in"
                            + " Chicory's interpreter as soon as the module is parsed, while one"
                            + " background thread compiles it; instances made after that run the"
                            + " compiled code, and a module that fails to compile keeps running"
                            + " interpreted, with a warning in the log), or compiled (the first"
                            + " step waits for the compilation, and fails if it fails). Default:"
                            + " ${DEFAULT-VALUE}.")
    FirstCalls firstCalls;

    @Option(
            names = Flags.MEMORY_BUDGET,
            converter = ByteQuantityConverter.class,
            paramLabel = "QUANTITY",
            description =
                    "Heap that steps may use together: guest memory and tables, snapshots,"
                            + " compiled modules, responses and kept results are charged to it"
                            + " before they are allocated. A step that needs more than all of it"
                            + " fails; one that finds it held by other steps is answered Pending"
                            + " and runs later. Default: the JVM's maximum heap less a quarter (at"
                            + " least 96Mi).")
    Long memoryBudget;

    @Option(
            names = Flags.MAX_GUEST_OUTPUT,
            converter = ByteQuantityConverter.class,
            defaultValue = "1Mi",
            paramLabel = "QUANTITY",
            description =
                    "What one invocation's guest output (console, stdout, stderr) may write to the"
                            + " log; the rest is dropped after a marker line. Default:"
                            + " ${DEFAULT-VALUE}.")
    long maxGuestOutput;

    @Option(
            names = Flags.MAX_GUEST_FILES,
            converter = ByteQuantityConverter.class,
            defaultValue = "64Mi",
            paramLabel = "QUANTITY",
            description =
                    "What one WASI command may hold in the files it writes below /work (kept in"
                            + " memory, charged to the memory budget); a write past it fails with"
                            + " ENOSPC and the step fails. Default: ${DEFAULT-VALUE}.")
    long maxGuestFiles;

    @Option(
            names = Flags.HTTP_ALLOWED_HOSTS,
            split = ",",
            paramLabel = "ORIGIN",
            description =
                    "Origins (https://api.example.com) guests may reach over HTTP when their"
                            + " template also lists them under permissions.http.allowed_hosts;"
                            + " comma-separated, or * for any origin a template lists. Default:"
                            + " none for serve (no HTTP), * for run and dry-run.")
    List<String> httpAllowedHosts;

    @Option(
            names = Flags.HTTP_TIMEOUT,
            converter = DurationConverter.class,
            defaultValue = "30s",
            paramLabel = "DURATION",
            description =
                    "The longest one guest HTTP request may take, connecting included. Default:"
                            + " ${DEFAULT-VALUE}.")
    Duration httpTimeout;

    @Option(
            names = Flags.MAX_HTTP_RESPONSE,
            converter = ByteQuantityConverter.class,
            defaultValue = "16Mi",
            paramLabel = "QUANTITY",
            description =
                    "The largest HTTP response body a guest may receive; a larger one fails the"
                            + " request. Default: ${DEFAULT-VALUE}.")
    long maxHttpResponse;

    @Option(
            names = Flags.MAX_GUEST_OUTPUT_LINES,
            defaultValue = "10000",
            description =
                    "How many lines of guest output one invocation may write to the log. Default:"
                            + " ${DEFAULT-VALUE}.")
    long maxGuestOutputLines;

    @Option(
            names = Flags.NO_METRICS,
            description =
                    "Count and time no requests, steps or modules (GET /metrics then serves only"
                        + " gauges, build info and JVM metrics; the log's summary of refused"
                        + " requests stays silent); for measuring what recording costs. Default:"
                        + " metrics are recorded.")
    boolean noMetrics;

    @Option(
            names = Flags.GUEST_LOGS,
            defaultValue = "log",
            paramLabel = "log|artifact",
            description =
                    "Where guest output goes for templates whose plugin.wasm.logs does not say,"
                            + " one of ${COMPLETION-CANDIDATES}: log (the log only), or artifact"
                            + " (also each step's whole output, within --max-guest-output, as the"
                            + " output artifact guest-logs in the workflow's artifact"
                            + " repository). Default: ${DEFAULT-VALUE}.")
    GuestLogs guestLogs;

    @Option(
            names = Flags.MAX_COMPILED_CODE,
            converter = ByteQuantityConverter.class,
            defaultValue = "64Mi",
            paramLabel = "QUANTITY",
            description =
                    "Native memory the generated classes of the compiled modules kept may take"
                            + " (estimated from their size and function count); the least"
                            + " recently used modules are dropped to stay under it. Default:"
                            + " ${DEFAULT-VALUE}.")
    long maxCompiledCode;

    private MemoryBudget budget;

    @Option(
            names = Flags.REPLY_WITHIN,
            converter = DurationConverter.class,
            defaultValue = "20s",
            description =
                    "How long a request waits for its step before answering Running with a requeue;"
                            + " keep it under Argo's 30s per call. Default: ${DEFAULT-VALUE}.")
    Duration replyWithin;

    @Option(
            names = Flags.REQUEUE,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            defaultValue = "5s",
            description =
                    "When the agent should ask again about a Running or Pending step. Default:"
                            + " ${DEFAULT-VALUE}.")
    Duration requeue;

    @Option(
            names = Flags.MAX_ARTIFACT_DISK,
            converter = ByteQuantityConverter.class,
            paramLabel = "QUANTITY",
            defaultValue = "1Gi",
            description =
                    "The most disk one step's artifacts may take: inputs as downloaded and"
                            + " unpacked, the outputs the guest writes, output archives while they"
                            + " are uploaded. A step that needs more fails. Default:"
                            + " ${DEFAULT-VALUE}, half the manifest's ephemeral-storage limit.")
    long maxArtifactDisk;

    @Option(
            names = Flags.MAX_ARCHIVE_RATIO,
            defaultValue = "200",
            description =
                    "Refuse an input archive that unpacks to more than this many bytes per"
                            + " compressed byte, once past 1Mi unpacked: an archive bomb. Default:"
                            + " ${DEFAULT-VALUE}.")
    int maxArchiveRatio;

    @Option(
            names = Flags.WORK_DIR,
            paramLabel = "DIR",
            defaultValue = "${sys:java.io.tmpdir}/wasm-executor-plugin/workspaces",
            description =
                    "Where steps stage their artifacts, one directory each, deleted when the step"
                            + " ends; serve removes what an earlier process left there. Default:"
                            + " ${DEFAULT-VALUE}.")
    Path workDir;

    ExecutionLimits limits() {
        return new ExecutionLimits(defaultTimeout, maxTimeout, defaultMemory, maxMemory);
    }

    PayloadLimits payloadLimits() {
        if (maxResponseSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "%s %s is over the 2Gi a response can be"
                            .formatted(Flags.MAX_RESPONSE_SIZE, Quantity.format(maxResponseSize)));
        }
        return new PayloadLimits(maxInputSize, (int) maxResponseSize, maxOutputSize);
    }

    /**
     * The module sources a command admits.
     *
     * @param serving true for the sidecar, which refuses plain http and non-public hosts unless its
     *     flags allow them; local commands allow both unless told otherwise
     */
    ModuleSourcePolicy sourcePolicy(boolean serving) {
        return sourcePolicyBuilder(serving).build();
    }

    /** The rules of {@link #sourcePolicy(boolean)}, to be completed by the caller. */
    ModuleSourcePolicy.Builder sourcePolicyBuilder(boolean serving) {
        ModuleSourcePolicy.Builder policy =
                ModuleSourcePolicy.builder()
                        .hosts(moduleHosts)
                        .allowHttp(allowHttp != null ? allowHttp : !serving)
                        .allowPrivateHosts(
                                allowPrivateModuleHosts != null
                                        ? allowPrivateModuleHosts
                                        : !serving);
        if (moduleDirs != null) {
            policy.fileRoots(moduleDirs);
        } else if (serving) {
            policy.fileRoots(List.of(Path.of(DEFAULT_MODULE_DIR)));
        }
        return policy;
    }

    /** The one memory budget of this process, from {@code --memory-budget} or the heap. */
    MemoryBudget memoryBudget() {
        if (budget == null) {
            budget = memoryBudget == null ? MemoryBudget.fromHeap() : MemoryBudget.of(memoryBudget);
        }
        return budget;
    }

    GuestOutput.Budget outputBudget() {
        return new GuestOutput.Budget(maxGuestOutput, maxGuestOutputLines);
    }

    /**
     * The sidecar's HTTP rules: its origins, and the address rules of module sources (no private or
     * metadata addresses for serve unless --allow-private-module-hosts).
     */
    HttpCapability.Rules httpRules(boolean serving) {
        List<String> origins =
                httpAllowedHosts != null
                        ? httpAllowedHosts.stream().map(String::trim).toList()
                        : serving ? List.of() : List.of(HttpCapability.ANY_ORIGIN);
        try {
            return new HttpCapability.Rules(
                    origins,
                    ModuleSourcePolicy.builder()
                            .allowHttp(true)
                            .allowPrivateHosts(
                                    allowPrivateModuleHosts != null
                                            ? allowPrivateModuleHosts
                                            : !serving)
                            .build(),
                    httpTimeout,
                    maxHttpResponse);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "%s: %s".formatted(Flags.HTTP_ALLOWED_HOSTS, e.getMessage()), e);
        }
    }

    ModuleStore moduleStore(boolean serving) {
        long maxBytes = maxModuleSize;
        ModuleSourcePolicy policy = sourcePolicy(serving);
        Duration timeout = Duration.ofSeconds(60);
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(
                                maxBytes, timeout, policy, registries(policy, maxBytes, serving)),
                        maxBytes,
                        maxModules,
                        compileCache == null ? null : CompileCache.open(compileCache),
                        memoryBudget(),
                        maxCompiledCode,
                        firstCalls);
        BundledModules.load().offerTo(store);
        return store;
    }

    /** Pulls module.oci references with these options' registries, logins and tag lifetime. */
    OciModules registries(ModuleSourcePolicy policy, long maxBytes, boolean serving) {
        Set<String> insecure = new HashSet<>();
        if (insecureRegistries != null) {
            insecureRegistries.forEach(h -> insecure.add(h.trim().toLowerCase(Locale.ROOT)));
        }
        return new OciModules(
                new RegistryClient(
                        policy, insecure, registryCredentials(serving), Duration.ofSeconds(60)),
                maxBytes,
                tagTtl);
    }

    /** The registry logins: --registry-config, or the user's Docker config for local commands. */
    RegistryCredentials registryCredentials(boolean serving) {
        if (registryConfig != null) {
            return RegistryCredentials.read(registryConfig);
        }
        Path home = Path.of(System.getProperty("user.home"), ".docker", "config.json");
        if (!serving && Files.isRegularFile(home)) {
            return RegistryCredentials.read(home);
        }
        return RegistryCredentials.none();
    }

    /** {@code artifacts} with the disk budget, archive ratio and directory of these options. */
    ArtifactWorkspaces artifactWorkspaces(ArtifactWorkspaces artifacts) {
        if (maxArchiveRatio <= 0) {
            throw new IllegalArgumentException(
                    "%s must be positive, not %d"
                            .formatted(Flags.MAX_ARCHIVE_RATIO, maxArchiveRatio));
        }
        if (maxArtifactDisk <= 0) {
            throw new IllegalArgumentException(
                    "%s must be more than 0, not %d"
                            .formatted(Flags.MAX_ARTIFACT_DISK, maxArtifactDisk));
        }
        return artifacts.toBuilder()
                .temporaryRoot(workDir)
                .maxDiskBytes(maxArtifactDisk)
                .limits(new ArchiveLimits(ArchiveLimits.DEFAULT.maxEntries(), maxArchiveRatio))
                .build();
    }

    /**
     * The executor a local command runs steps with; its steps stage artifacts in {@code artifacts}.
     */
    TemplateExecutor executor(ArtifactWorkspaces artifacts) {
        return executor(artifacts, false);
    }

    /**
     * The executor a command runs steps with.
     *
     * @param serving true for the sidecar: see {@link #sourcePolicy(boolean)}
     */
    TemplateExecutor executor(ArtifactWorkspaces artifacts, boolean serving) {
        return executor(artifacts, moduleStore(serving), serving, PullSecrets.NONE);
    }

    /** The executor a local command runs steps with, loading modules from {@code modules}. */
    TemplateExecutor executor(ArtifactWorkspaces artifacts, ModuleStore modules) {
        return executor(artifacts, modules, false, PullSecrets.NONE);
    }

    /**
     * The executor a command runs steps with, loading modules from {@code modules} with the
     * registry logins of {@code pullSecrets} before the registry config's.
     *
     * @param serving true for the sidecar: see {@link #sourcePolicy(boolean)}
     */
    TemplateExecutor executor(
            ArtifactWorkspaces artifacts,
            ModuleStore modules,
            boolean serving,
            PullSecrets pullSecrets) {
        PluginMetrics metrics =
                noMetrics ? BuildInfo.metricsRecordingNothing() : BuildInfo.metrics();
        modules.recordTo(metrics);
        return TemplateExecutor.builder(Json.mapper(), modules)
                .metrics(metrics)
                .tracer(StepTracer.fromEnvironment(System.getenv()))
                .limits(limits())
                .payloadLimits(payloadLimits())
                .maxConcurrent(maxConcurrent)
                .replyWithin(replyWithin)
                .requeue(requeue)
                .artifacts(artifactWorkspaces(artifacts))
                .outputBudget(outputBudget())
                .guestLogs(guestLogs)
                .memoryBudget(memoryBudget())
                .http(httpRules(serving))
                .maxGuestFileBytes(maxGuestFiles)
                .pullSecrets(pullSecrets)
                .build();
    }
}
