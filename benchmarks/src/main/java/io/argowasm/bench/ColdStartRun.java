package io.argowasm.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * A module's first step after a sidecar restart, with and without the compile cache, and the
 * in-process phases of a first use (fetch, parse, compile or cache load, instantiate, call).
 */
final class ColdStartRun {

    static final List<String> MODULES = List.of("greet", "large");
    static final List<String> PHASES = List.of("fetch", "parse", "compile", "instantiate", "call");

    /** Median milliseconds per phase, and the number of samples behind them. */
    record Phases(Map<String, Double> medianMillis, int samples) {
        double total() {
            return medianMillis.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * @param phases per mode ("fresh", "cached"), per module
     * @param afterRestart per mode ("no cache", "compile cache"), per module: first step latency
     * @param cacheEntryBytes per module, the size of its compile cache entry
     */
    record Result(
            Map<String, Map<String, Phases>> phases,
            Map<String, Map<String, Samples>> afterRestart,
            Map<String, Long> cacheEntryBytes) {}

    private final BenchSetup setup;

    ColdStartRun(BenchSetup setup) {
        this.setup = setup;
    }

    Result run(String salt) throws Exception {
        Map<String, Map<String, Phases>> phases = new LinkedHashMap<>();
        Path phaseCache = fresh(setup.work().resolve("phase-cache"));
        phases.put("fresh", phases("fresh", salt, phaseCache));
        phases("populate", salt, phaseCache);
        phases.put("cached", phases("cached", salt, phaseCache));

        Path restartCache = fresh(setup.work().resolve("restart-cache"));
        Map<String, Map<String, Samples>> restarts = new LinkedHashMap<>();
        restarts.put("no cache", new LinkedHashMap<>());
        restarts.put("compile cache", new LinkedHashMap<>());
        Map<String, Long> entryBytes = new LinkedHashMap<>();
        try (ModuleServer modules = ModuleServer.start()) {
            for (String name : MODULES) {
                byte[] variant =
                        Modules.withNonce(BenchModules.bytes(name), salt + "-restart-" + name);
                URI url = modules.serve(name + ".wasm", variant);
                byte[] request = StepRequests.execute(url, variant, name);
                List<String> cacheArgs = List.of("--compile-cache", restartCache.toString());
                long before = cacheBytes(restartCache);
                firstStepAfterStart(request, cacheArgs, "restart-populate-" + name);
                entryBytes.put(name, cacheBytes(restartCache) - before);
                List<Double> plain = new ArrayList<>();
                List<Double> cached = new ArrayList<>();
                for (int i = 0; i < setup.repeat(3); i++) {
                    plain.add(firstStepAfterStart(request, List.of(), "restart-plain-" + name + i));
                    cached.add(
                            firstStepAfterStart(request, cacheArgs, "restart-cache-" + name + i));
                }
                restarts.get("no cache").put(name, Samples.of(plain));
                restarts.get("compile cache").put(name, Samples.of(cached));
            }
        }
        return new Result(phases, restarts, entryBytes);
    }

    private double firstStepAfterStart(byte[] request, List<String> serveArgs, String name)
            throws Exception {
        try (Sidecar sidecar =
                        Sidecar.start(
                                setup.jar(),
                                setup.pod(),
                                setup.cdsFlags(),
                                serveArgs,
                                setup.logs().resolve(name + ".log"));
                LoopbackConnection connection = waitAndConnect(sidecar)) {
            return WarmHttpRun.timedStep(connection, request);
        }
    }

    private static LoopbackConnection waitAndConnect(Sidecar sidecar) throws Exception {
        sidecar.awaitReady(Duration.ofSeconds(60));
        return sidecar.connect();
    }

    private Map<String, Phases> phases(String mode, String salt, Path cache) throws Exception {
        List<String> args = new ArrayList<>(List.of(mode, salt));
        args.add(Integer.toString(setup.repeat(5)));
        args.addAll(MODULES);
        PodSettings pod = setup.pod();
        JsonNode out =
                Commands.json(
                        setup.javaCommand(
                                ColdStartPhases.class.getName(),
                                List.of(pod.maxRamFlag(), "-Dbench.cache=" + cache),
                                args),
                        Map.of("JAVA_TOOL_OPTIONS", pod.javaToolOptions()));
        Map<String, Phases> byModule = new LinkedHashMap<>();
        for (String name : MODULES) {
            Map<String, Double> medians = new LinkedHashMap<>();
            for (String phase : PHASES) {
                List<Double> values = new ArrayList<>();
                out.path(name).forEach(sample -> values.add(sample.path(phase).asDouble()));
                medians.put(phase, Samples.of(values).median());
            }
            byModule.put(name, new Phases(medians, out.path(name).size()));
        }
        return byModule;
    }

    private static Path fresh(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(directory);
    }

    private static long cacheBytes(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
