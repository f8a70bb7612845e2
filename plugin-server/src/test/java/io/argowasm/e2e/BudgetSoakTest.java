package io.argowasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * 32 agents at once, for minutes, asking a sidecar started as the manifest starts it for the most a
 * template may: guests growing to the largest allowed memory, responses just under the response
 * cap, guests printing without end. The sidecar must answer every call, never exit, and stay under
 * the container's memory limit; its RSS is written, once a second, to {@code
 * target/budget-soak-rss.csv}, and what the JVM's native memory went to at the end to {@code
 * target/budget-soak-native-memory.txt}.
 *
 * <p>{@code mvn -B -pl plugin-server -am verify -Dgroups=soak -Dtest=BudgetSoakTest
 * -Dsurefire.failIfNoSpecifiedTests=false} ({@code -Dsoak.minutes=N}, default 10).
 */
@Tag("soak")
class BudgetSoakTest {

    private static final int AGENTS = 32;

    @TempDir Path modules;

    @Test
    void thirtyTwoAgentsAtTheLargestLimitsNeverStopTheSidecar() throws Exception {
        Files.copy(TestModules.test("conformance"), modules.resolve("conformance.wasm"));
        Files.copy(TestModules.test("limits/limits"), modules.resolve("limits.wasm"));
        Duration length = Duration.ofMinutes(Long.getLong("soak.minutes", 10));
        Path log = Path.of("target", "budget-soak-sidecar.log");
        Path curve = Path.of("target", "budget-soak-rss.csv");
        ShippedSidecar shipped = ShippedSidecar.read();
        List<String> jvm = new ArrayList<>(shipped.jvmOptions());
        jvm.add("-XX:NativeMemoryTracking=summary");
        List<String> serve = new ArrayList<>(shipped.serveOptions());
        serve.addAll(List.of("--no-auth", "--module-dir", modules.toString()));
        try (SidecarProcess sidecar =
                SidecarProcess.start(jvm, serve, shipped.environment(), log)) {
            Map<String, LongAdder> phases = new ConcurrentHashMap<>();
            AtomicInteger sequence = new AtomicInteger();
            long end = System.nanoTime() + length.toNanos();
            ExecutorService agents = Executors.newFixedThreadPool(AGENTS + 1);
            List<Future<?>> running = new ArrayList<>();
            List<String> samples = new ArrayList<>();
            running.add(agents.submit(() -> sampleRss(sidecar, end, samples)));
            for (int a = 0; a < AGENTS; a++) {
                running.add(
                        agents.submit(
                                () -> {
                                    AgentClient agent = new AgentClient(sidecar.port(), null);
                                    while (System.nanoTime() < end && sidecar.alive()) {
                                        int n = sequence.incrementAndGet();
                                        JsonNode node =
                                                agent.executeRetryingUnavailable(
                                                        step(n, modules), length);
                                        phases.computeIfAbsent(
                                                        kind(n)
                                                                + " "
                                                                + node.get("phase").asString(),
                                                        k -> new LongAdder())
                                                .increment();
                                    }
                                    return null;
                                }));
            }
            agents.shutdown();
            agents.awaitTermination(length.toMinutes() + 5, TimeUnit.MINUTES);
            Files.write(curve, samples);
            if (sidecar.alive()) {
                Files.writeString(
                        Path.of("target", "budget-soak-native-memory.txt"),
                        sidecar.nativeMemorySummary());
            }
            long peakAnon = sidecar.peakAnonBytes();
            System.out.printf(
                    "budget soak: %d steps in %s, %s; peak anonymous memory %d MiB, peak RSS with"
                            + " mapped files %s; curve in %s%n",
                    sequence.get(), length, phases, peakAnon >> 20, sidecar.peakRss(), curve);
            for (Future<?> f : running) {
                f.get();
            }
            assertThat(sidecar.alive()).as(sidecar.logTail()).isTrue();
            assertThat(peakAnon)
                    .as("peak anonymous memory, against the container's memory limit")
                    .isLessThan(shipped.memoryLimitBytes());
            assertThat(phases).containsKeys("grow Succeeded", "flood Failed", "respond Failed");
        }
    }

    private static Void sampleRss(SidecarProcess sidecar, long end, List<String> samples)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        samples.add("seconds,rss_kib,anon_kib");
        while (System.nanoTime() < end && sidecar.alive()) {
            samples.add(
                    "%d,%d,%d"
                            .formatted(
                                    (System.nanoTime() - start) / 1_000_000_000L,
                                    sidecar.rssKiB(),
                                    sidecar.anonKiB()));
            Thread.sleep(1000);
        }
        return null;
    }

    private static String kind(int n) {
        return switch (n % 3) {
            case 0 -> "grow";
            case 1 -> "respond";
            default -> "flood";
        };
    }

    /** The n-th step: each kind at the largest a template may ask for. */
    private static JsonNode step(int n, Path modules) {
        String wasm =
                switch (kind(n)) {
                    case "grow" ->
                            """
                            {"module":{"file":"%s"},"operation":"grow",
                             "limits":{"memory":"256Mi","timeout":"60s"}}\
                            """
                                    .formatted(modules.resolve("conformance.wasm"));
                    case "respond" ->
                            """
                            {"module":{"file":"%s"},"operation":"huge-response",
                             "options":{"size":16777215},"limits":{"memory":"64Mi"}}\
                            """
                                    .formatted(modules.resolve("conformance.wasm"));
                    default ->
                            """
                            {"module":{"file":"%s"},"operation":"console-flood",
                             "limits":{"timeout":"2s"}}\
                            """
                                    .formatted(modules.resolve("limits.wasm"));
                };
        return Json.mapper()
                .readTree(
                        """
                        {"workflow":{"metadata":{"name":"soak","namespace":"argo","uid":"u-%d"}},
                         "template":{"name":"step","inputs":{},"outputs":{},"metadata":{},
                          "plugin":{"wasm":%s}}}
                        """
                                .formatted(n, wasm));
    }
}
