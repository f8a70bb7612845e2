package io.argowasm.cli;

import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.exec.ExecutionLimits;
import io.argowasm.exec.GoDuration;
import io.argowasm.exec.PayloadLimits;
import io.argowasm.exec.Quantity;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.BundledModules;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleSourcePolicy;
import io.argowasm.module.ModuleStore;
import io.argowasm.server.Json;
import io.argowasm.wapc.CompileCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by every command that runs guests: limits, concurrency, module caps. */
final class RuntimeOptions {

    @Option(
            names = "--max-concurrent",
            defaultValue = "16",
            description =
                    "Guests running at once; more requests wait, then answer Pending. Default:"
                            + " ${DEFAULT-VALUE}.")
    int maxConcurrent;

    @Option(
            names = "--default-timeout",
            defaultValue = "60s",
            description =
                    "Wall time of an invocation whose template sets no limits.timeout. Default:"
                            + " ${DEFAULT-VALUE}.")
    String defaultTimeout;

    @Option(
            names = "--max-timeout",
            defaultValue = "1h",
            description =
                    "The longest limits.timeout a template may ask for. Default: ${DEFAULT-VALUE}.")
    String maxTimeout;

    @Option(
            names = "--default-memory",
            defaultValue = "64Mi",
            description =
                    "Guest memory cap when the template sets no limits.memory. Default:"
                            + " ${DEFAULT-VALUE}.")
    String defaultMemory;

    @Option(
            names = "--max-memory",
            defaultValue = "1Gi",
            description =
                    "The largest limits.memory a template may ask for. Default: ${DEFAULT-VALUE}.")
    String maxMemory;

    @Option(
            names = "--max-module-size",
            defaultValue = "64Mi",
            description =
                    "The largest module accepted from a URL or file. Default: ${DEFAULT-VALUE}.")
    String maxModuleSize;

    static final String DEFAULT_MODULE_DIR = "/modules";

    @Option(
            names = "--module-dir",
            paramLabel = "DIR",
            description =
                    "A directory module.file may name modules in (links followed); repeatable."
                            + " Default: "
                            + DEFAULT_MODULE_DIR
                            + " for serve, anywhere for run and dry-run.")
    List<Path> moduleDirs;

    @Option(
            names = "--module-hosts",
            split = ",",
            paramLabel = "GLOB",
            defaultValue = "*",
            description =
                    "Hosts modules may be fetched from, and redirected to: names or globs such as"
                            + " *.example.com, comma-separated. Default: ${DEFAULT-VALUE} (any"
                            + " host).")
    List<String> moduleHosts;

    @Option(
            names = "--allow-http",
            negatable = true,
            description =
                    "Fetch modules over plain http too. Default: off for serve, on for run and"
                            + " dry-run.")
    Boolean allowHttp;

    @Option(
            names = "--allow-private-module-hosts",
            negatable = true,
            description =
                    "Fetch modules from loopback, link-local (cloud metadata), private and other"
                            + " non-public addresses too. Default: off for serve, on for run and"
                            + " dry-run.")
    Boolean allowPrivateModuleHosts;

    @Option(
            names = "--max-input-size",
            defaultValue = "4Mi",
            description =
                    "The most a step's input parameter values may hold together. Default:"
                            + " ${DEFAULT-VALUE}.")
    String maxInputSize;

    @Option(
            names = "--max-response-size",
            defaultValue = "16Mi",
            description = "The largest response a guest may hand back. Default: ${DEFAULT-VALUE}.")
    String maxResponseSize;

    @Option(
            names = "--max-output-size",
            defaultValue = "1Mi",
            description =
                    "The most a step's output parameter values may hold together; they are kept"
                            + " in the Workflow object. Default: ${DEFAULT-VALUE}.")
    String maxOutputSize;

    @Option(
            names = "--max-modules",
            defaultValue = "64",
            description =
                    "Compiled modules kept in memory (least recently used go first). Default:"
                            + " ${DEFAULT-VALUE}.")
    int maxModules;

    @Option(
            names = "--compile-cache",
            paramLabel = "DIR",
            description =
                    "Keep compiled guest code in DIR, so a restarted sidecar loads the modules it"
                            + " has seen without compiling them again. Only the sidecar may write"
                            + " there. Default: off.")
    Path compileCache;

    @Option(
            names = "--reply-within",
            defaultValue = "20s",
            description =
                    "How long a request waits for its step before answering Running with a requeue;"
                            + " keep it under Argo's 30s per call. Default: ${DEFAULT-VALUE}.")
    String replyWithin;

    @Option(
            names = "--requeue",
            defaultValue = "5s",
            description =
                    "When the agent should ask again about a Running or Pending step. Default:"
                            + " ${DEFAULT-VALUE}.")
    String requeue;

    ExecutionLimits limits() {
        return new ExecutionLimits(
                GoDuration.parse(defaultTimeout),
                GoDuration.parse(maxTimeout),
                Quantity.parseBytes(defaultMemory),
                Quantity.parseBytes(maxMemory));
    }

    PayloadLimits payloadLimits() {
        long response = Quantity.parseBytes(maxResponseSize);
        if (response > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "--max-response-size "
                            + maxResponseSize
                            + " is over the 2Gi a response can be");
        }
        return new PayloadLimits(
                Quantity.parseBytes(maxInputSize),
                (int) response,
                Quantity.parseBytes(maxOutputSize));
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

    ModuleStore moduleStore(boolean serving) {
        long maxBytes = Quantity.parseBytes(maxModuleSize);
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(maxBytes, Duration.ofSeconds(60), sourcePolicy(serving)),
                        maxBytes,
                        maxModules,
                        compileCache == null ? null : CompileCache.open(compileCache));
        BundledModules.load().offerTo(store);
        return store;
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
        return executor(artifacts, moduleStore(serving));
    }

    /** The executor a command runs steps with, loading modules from {@code modules}. */
    TemplateExecutor executor(ArtifactWorkspaces artifacts, ModuleStore modules) {
        return TemplateExecutor.builder(Json.mapper(), modules)
                .limits(limits())
                .payloadLimits(payloadLimits())
                .maxConcurrent(maxConcurrent)
                .replyWithin(GoDuration.parse(replyWithin))
                .requeue(GoDuration.parse(requeue))
                .artifacts(artifacts)
                .build();
    }
}
