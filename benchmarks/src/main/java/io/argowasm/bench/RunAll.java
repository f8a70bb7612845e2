package io.argowasm.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Runs every benchmark and writes docs/performance.md; {@code benchmarks/run.sh} builds what it
 * needs and starts it.
 *
 * <pre>
 *   RunAll --repo DIR --work DIR --image-jdk DIR [--quick]
 * </pre>
 *
 * {@code --image-jdk} is the JDK the container image runs (25), compared with the build's in the
 * start-up section.
 */
public final class RunAll {

    private static final String USAGE = "RunAll --repo DIR --work DIR --image-jdk DIR [--quick]";

    private RunAll() {}

    public static void main(String[] args) throws Exception {
        BenchSetup setup = BenchSetup.fromArgs(args, USAGE);
        Path repo = setup.repo();
        System.setProperty("java.awt.headless", "true");
        // Nonces salted per run: no module of this run was seen by an earlier one.
        String salt = UUID.randomUUID().toString().substring(0, 8);

        long started = System.nanoTime();
        Machine machine = Machine.describe();
        try (LoadMonitor load = new LoadMonitor()) {
            StartupRun.Result startup = step("start-up", () -> new StartupRun(setup).run(salt));
            WarmHttpRun.Result http = step("warm HTTP", () -> new WarmHttpRun(setup).run());
            ColdStartRun.Result cold = step("cold start", () -> new ColdStartRun(setup).run(salt));
            Samples spawn = step("process baseline", () -> new ProcessBaselineRun(setup).run());
            Map<String, Samples> invocation =
                    step("in-process invocation (JMH)", () -> new InvocationRun(setup).run());
            KernelRun.Result kernels = step("kernels", () -> new KernelRun(setup).run());
            AgentRun.Result agent =
                    step(
                            "agent mode",
                            () ->
                                    AgentRun.measure(
                                            setup.modules().resolve("greet.wasm"),
                                            setup.quick() ? 60 : 300,
                                            setup.quick() ? 20 : 50,
                                            setup.quick() ? 10 : 20));
            Map<String, Long> sizes = new LinkedHashMap<>();
            for (String name : List.of("echo", "greet", "large", "kernels")) {
                sizes.put(name, Files.size(setup.modules().resolve(name + ".wasm")));
            }
            Report.Figures figures =
                    new Report.Figures(
                            machine,
                            load.before(),
                            load.during(),
                            (System.nanoTime() - started) / 1_000_000_000L,
                            sizes,
                            startup,
                            http,
                            cold,
                            invocation,
                            kernels,
                            spawn,
                            agent);
            Path docs = Files.createDirectories(repo.resolve("docs/performance"));
            new Report(setup, figures, docs).write(repo.resolve("docs/performance.md"));
            progress("wrote " + repo.resolve("docs/performance.md"));
        }
    }

    private static <T> T step(String name, Callable<T> work) throws Exception {
        long start = System.nanoTime();
        progress(name + " ...");
        T result = work.call();
        progress(name + " done in " + (System.nanoTime() - start) / 1_000_000_000L + " s");
        return result;
    }

    private static void progress(String text) {
        System.err.println("[bench] " + text);
    }
}
