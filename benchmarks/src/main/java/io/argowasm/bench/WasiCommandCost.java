package io.argowasm.bench;

import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.argo.NodeResult;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one invocation of a WASI command costs in-process once its module is compiled and warm: the
 * example commands (C {@code shout}, Rust {@code rust-stats} and {@code ferris-says}) run through
 * {@link TemplateExecutor} in a loop, each invocation a step of its own (a fresh instance, {@code
 * _start} once). Prints the mean and the median per module.
 *
 * <p>Run by {@code benchmarks/wasi-cost.sh [RUNS]}.
 */
public final class WasiCommandCost {

    private static final int WARM_UP = 200;

    private WasiCommandCost() {}

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        ModuleStore store =
                new ModuleStore(new ModuleFetcher(64L << 20, Duration.ofSeconds(10)), 64L << 20, 4);
        try (TemplateExecutor executor =
                TemplateExecutor.builder(Json.mapper(), store)
                        .replyWithin(Duration.ofSeconds(30))
                        .build()) {
            System.out.println("| command | mean | median | runs |");
            System.out.println("|---|---|---|---|");
            for (String name : new String[] {"shout", "rust-stats", "ferris-says"}) {
                Path module = repo.resolve("examples/modules/" + name + "/" + name + ".wasm");
                for (int i = 0; i < WARM_UP; i++) {
                    invoke(executor, module, "warm-" + i);
                }
                long[] nanos = new long[runs];
                for (int i = 0; i < runs; i++) {
                    long start = System.nanoTime();
                    invoke(executor, module, "run-" + i);
                    nanos[i] = System.nanoTime() - start;
                }
                Arrays.sort(nanos);
                System.out.printf(
                        "| %s | %.3f ms | %.3f ms | %d |%n",
                        name,
                        Arrays.stream(nanos).average().orElse(0) / 1e6,
                        nanos[runs / 2] / 1e6,
                        runs);
            }
        }
    }

    /** One invocation, a step of its own (its own workflow uid, so nothing joins or is reused). */
    private static void invoke(TemplateExecutor executor, Path module, String uid) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("workflow")
                .putObject("metadata")
                .put("name", "wasi-cost")
                .put("namespace", "local")
                .put("uid", uid);
        ObjectNode template = body.putObject("template").put("name", "cost");
        template.putObject("inputs")
                .putArray("parameters")
                .addObject()
                .put("name", "text")
                .put("value", "plain programs make fine steps");
        template.putObject("outputs");
        template.putObject("plugin")
                .putObject("wasm")
                .putObject("module")
                .put("file", module.toAbsolutePath().toString());
        NodeResult node =
                executor.execute(Json.mapper().treeToValue(body, ExecuteTemplateArgs.class)).node();
        if (node.phase() != NodePhase.Succeeded) {
            throw new IllegalStateException(module + ": " + node.phase() + ": " + node.message());
        }
    }
}
