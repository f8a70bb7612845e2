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
import tools.jackson.databind.node.ArrayNode;

/**
 * The first step of a module the sidecar has never seen: in a warm sidecar, after a sidecar restart
 * with and without the compile cache, and with its first calls interpreted rather than compiled;
 * the in-process phases of such a first use, and its first calls in the interpreter against waiting
 * for the compiler.
 */
final class ColdStartRun {

    static final List<String> MODULES = List.of("greet", "large");

    /** The modules whose first calls are timed interpreted and compiled: also a compute kernel. */
    static final List<String> TIER_MODULES = List.of("greet", "large", "kernels");

    /** The phases of a first use, one after the other. */
    static final List<String> PHASES = List.of("fetch", "compile", "instantiate", "call");

    /**
     * Median milliseconds per phase, and the number of samples behind them.
     *
     * @param parseMillis the median of the parse alone, a part of compile
     * @param firstTotalMillis all phases of the first sample, before the same module's earlier
     *     samples made the compiler's code hotter
     */
    record Phases(
            Map<String, Double> medianMillis,
            double parseMillis,
            double firstTotalMillis,
            int samples) {
        double total() {
            return medianMillis.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * Medians of a module's first calls both ways (see {@code ColdStartPhases.tiers}), in ms.
     *
     * @param firstInterpreted bytes to first answer, interpreted while it compiles
     * @param firstCompiled bytes to first answer, waiting for the compilation
     * @param compiledReady bytes to compiled code in use, interpreted calls answered meanwhile
     * @param callsMeanwhile further calls the interpreter answers, one after the other, until then
     * @param interpretedCall one call of a warm instance in the interpreter
     * @param compiledCall one call of a warm instance in compiled code
     */
    record Tiers(
            double firstInterpreted,
            double firstCompiled,
            double compiledReady,
            double callsMeanwhile,
            double interpretedCall,
            double compiledCall,
            int samples) {

        /**
         * The compiled guest time (ms) of a first call above which waiting for the compiler answers
         * it sooner: a first call k times the benchmark's call costs {@code firstInterpreted + (k -
         * 1) interpretedCall} one way and {@code firstCompiled + (k - 1) compiledCall} the other.
         * Infinite when the interpreter is not slower.
         */
        double crossoverGuestMillis() {
            double perCall = interpretedCall - compiledCall;
            if (perCall <= 0) {
                return Double.POSITIVE_INFINITY;
            }
            double calls = 1 + Math.max(0, firstCompiled - firstInterpreted) / perCall;
            return calls * compiledCall;
        }
    }

    /**
     * @param warmSidecar per module, first step latency in a sidecar that has compiled others
     * @param phases per mode ("fresh", "cached"), per module
     * @param afterRestart per mode ("no cache", "compile cache", "first calls interpreted"), per
     *     module: first step latency; the first two with the default --first-calls compiled
     * @param cacheEntryBytes per module, the size of its compile cache entry
     * @param retainedHeapMiB per module, the heap a compiled module and one pooled instance keep
     * @param bundledFirstUse per variant of greet ("bundled", "new"), its first use as the first
     *     thing a JVM does
     */
    record Result(
            Map<String, Samples> warmSidecar,
            Map<String, Map<String, Phases>> phases,
            Map<String, Map<String, Samples>> afterRestart,
            Map<String, Long> cacheEntryBytes,
            Map<String, Double> retainedHeapMiB,
            Map<String, Phases> bundledFirstUse,
            Map<String, Tiers> tiers) {}

    /** greet as the plugin bundles it, and with a nonce: a module the build did not compile. */
    static final List<String> BUNDLED_VARIANTS = List.of("bundled", "new");

    private final BenchSetup setup;

    ColdStartRun(BenchSetup setup) {
        this.setup = setup;
    }

    Result run(String salt) throws Exception {
        Map<String, Samples> warm = new LinkedHashMap<>();
        warm.put("greet", inWarmSidecars("greet", salt, setup.repeat(7)));
        warm.put("large", inWarmSidecars("large", salt, setup.repeat(3)));
        Map<String, Map<String, Phases>> phases = new LinkedHashMap<>();
        Path phaseCache = fresh(setup.work().resolve("phase-cache"));
        JsonNode fresh = phaseRun("fresh", salt, phaseCache);
        phases.put("fresh", phases(fresh));
        phaseRun("populate", salt, phaseCache);
        phases.put("cached", phases(phaseRun("cached", salt, phaseCache)));
        Map<String, Double> retained = new LinkedHashMap<>();
        for (String name : MODULES) {
            retained.put(name, fresh.path("retainedHeapMiB").path(name).asDouble());
        }
        Map<String, Tiers> tiers = tiers(phaseRun("tiers", salt, phaseCache, TIER_MODULES));

        Path restartCache = fresh(setup.work().resolve("restart-cache"));
        Map<String, Map<String, Samples>> restarts = new LinkedHashMap<>();
        restarts.put("no cache", new LinkedHashMap<>());
        restarts.put("compile cache", new LinkedHashMap<>());
        restarts.put("first calls interpreted", new LinkedHashMap<>());
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
                List<Double> interpretedFirst = new ArrayList<>();
                for (int i = 0; i < setup.repeat(3); i++) {
                    plain.add(firstStepAfterStart(request, List.of(), "restart-plain-" + name + i));
                    cached.add(
                            firstStepAfterStart(request, cacheArgs, "restart-cache-" + name + i));
                    interpretedFirst.add(
                            firstStepAfterStart(
                                    request,
                                    List.of("--first-calls", "interpreted"),
                                    "restart-compiled-first-" + name + i));
                }
                restarts.get("no cache").put(name, Samples.of(plain));
                restarts.get("compile cache").put(name, Samples.of(cached));
                restarts.get("first calls interpreted").put(name, Samples.of(interpretedFirst));
            }
        }
        return new Result(
                warm,
                phases,
                restarts,
                entryBytes,
                retained,
                bundledFirstUse(salt, setup.repeat(5)),
                tiers);
    }

    /**
     * greet's first use as the first thing a fresh JVM does, as the bundled module (its code
     * compiled when the plugin was built) and as a new one, taking turns, one JVM a sample.
     */
    private Map<String, Phases> bundledFirstUse(String salt, int count) throws Exception {
        Map<String, ArrayNode> samples = new LinkedHashMap<>();
        BUNDLED_VARIANTS.forEach(v -> samples.put(v, Commands.JSON.createArrayNode()));
        PodSettings pod = setup.pod();
        for (int i = 0; i < count; i++) {
            for (String variant : BUNDLED_VARIANTS) {
                samples.get(variant)
                        .add(
                                Commands.json(
                                        setup.javaCommand(
                                                ColdStartPhases.class.getName(),
                                                List.of(pod.maxRamFlag()),
                                                List.of("first-use", salt + "-" + i, variant)),
                                        Map.of("JAVA_TOOL_OPTIONS", pod.javaToolOptions())));
            }
        }
        Map<String, Phases> byVariant = new LinkedHashMap<>();
        samples.forEach((variant, runs) -> byVariant.put(variant, phasesOf(runs)));
        return byVariant;
    }

    /**
     * First steps of new modules, each in a sidecar of its own that has first compiled and called
     * six other modules (the greet example and the kernels, three times each): compiling is Java
     * code the JIT makes several times faster once it has run a few times, and a sidecar of its own
     * keeps one sample's compiled module (a large one holds tens of MiB of heap) from crowding the
     * next.
     */
    private Samples inWarmSidecars(String name, String salt, int count) throws Exception {
        byte[] module = BenchModules.bytes(name);
        double[] millis = new double[count];
        try (ModuleServer modules = ModuleServer.start()) {
            for (int i = 0; i < count; i++) {
                try (Sidecar sidecar =
                                Sidecar.start(
                                        setup.jar(),
                                        setup.pod(),
                                        setup.cdsFlags(),
                                        List.of(),
                                        setup.logs().resolve("warm-" + name + i + ".log"));
                        LoopbackConnection connection = waitAndConnect(sidecar)) {
                    for (int w = 0; w < 3; w++) {
                        for (String other : List.of("greet", "kernels")) {
                            firstStep(connection, modules, other, salt + "-jit-" + name + i + w);
                        }
                    }
                    millis[i] = firstStep(connection, modules, name, salt + "-warm-" + i);
                }
            }
        }
        return Samples.of(millis);
    }

    /** The first step of a module variant no sidecar has seen: a new nonce, a new digest. */
    private static double firstStep(
            LoopbackConnection connection, ModuleServer modules, String name, String nonce)
            throws Exception {
        byte[] variant = Modules.withNonce(BenchModules.bytes(name), nonce);
        URI url = modules.serve(nonce + "-" + name + ".wasm", variant);
        return WarmHttpRun.timedStep(connection, StepRequests.execute(url, variant, name));
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

    private JsonNode phaseRun(String mode, String salt, Path cache) throws Exception {
        return phaseRun(mode, salt, cache, MODULES);
    }

    private JsonNode phaseRun(String mode, String salt, Path cache, List<String> modules)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(mode, salt));
        args.add(Integer.toString(setup.repeat(5)));
        args.addAll(modules);
        PodSettings pod = setup.pod();
        return Commands.json(
                setup.javaCommand(
                        ColdStartPhases.class.getName(),
                        List.of(pod.maxRamFlag(), "-Dbench.cache=" + cache),
                        args),
                pod.environment());
    }

    private static Map<String, Phases> phases(JsonNode out) {
        Map<String, Phases> byModule = new LinkedHashMap<>();
        for (String name : MODULES) {
            byModule.put(name, phasesOf(out.path("samples").path(name)));
        }
        return byModule;
    }

    /** The medians of samples, an array of objects with a duration per phase. */
    private static Phases phasesOf(JsonNode samples) {
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String phase : PHASES) {
            medians.put(phase, median(samples, phase));
        }
        double first = 0;
        for (String phase : PHASES) {
            first += samples.path(0).path(phase).asDouble();
        }
        return new Phases(medians, median(samples, "parse"), first, samples.size());
    }

    private static Map<String, Tiers> tiers(JsonNode out) {
        Map<String, Tiers> byModule = new LinkedHashMap<>();
        for (String name : TIER_MODULES) {
            JsonNode samples = out.path("tiers").path(name);
            byModule.put(
                    name,
                    new Tiers(
                            median(samples, "firstInterpreted"),
                            median(samples, "firstCompiled"),
                            median(samples, "compiledReady"),
                            median(samples, "callsMeanwhile"),
                            median(samples, "interpretedCall"),
                            median(samples, "compiledCall"),
                            samples.size()));
        }
        return byModule;
    }

    private static double median(JsonNode samples, String phase) {
        List<Double> values = new ArrayList<>();
        samples.forEach(sample -> values.add(sample.path(phase).asDouble()));
        return Samples.of(values).median();
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
