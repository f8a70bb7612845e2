package io.argowasm.cli;

import io.argowasm.exec.ExecutionLimits;
import io.argowasm.exec.GoDuration;
import io.argowasm.exec.Quantity;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.BundledModules;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import io.argowasm.server.Json;
import java.time.Duration;
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

    @Option(
            names = "--max-modules",
            defaultValue = "64",
            description =
                    "Compiled modules kept in memory (least recently used go first). Default:"
                            + " ${DEFAULT-VALUE}.")
    int maxModules;

    ExecutionLimits limits() {
        return new ExecutionLimits(
                GoDuration.parse(defaultTimeout),
                GoDuration.parse(maxTimeout),
                Quantity.parseBytes(defaultMemory),
                Quantity.parseBytes(maxMemory));
    }

    ModuleStore moduleStore() {
        long maxBytes = Quantity.parseBytes(maxModuleSize);
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(maxBytes, Duration.ofSeconds(60)), maxBytes, maxModules);
        BundledModules.load().offerTo(store);
        return store;
    }

    TemplateExecutor executor() {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("--max-concurrent must be at least 1");
        }
        return new TemplateExecutor(
                Json.mapper(), moduleStore(), limits(), maxConcurrent, Duration.ofSeconds(5));
    }
}
