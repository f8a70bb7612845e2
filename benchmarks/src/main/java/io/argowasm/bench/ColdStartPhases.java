package io.argowasm.bench;

import com.dylibso.chicory.wasm.Parser;
import io.argowasm.budget.MemoryBudget;
import io.argowasm.module.Digests;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.wapc.BackgroundCompiler;
import io.argowasm.wapc.CompileCache;
import io.argowasm.wapc.GuestOutput;
import io.argowasm.wapc.HostBindings;
import io.argowasm.wapc.InstanceLimits;
import io.argowasm.wapc.InstancePool;
import io.argowasm.wapc.WapcInstance;
import io.argowasm.wapc.WapcModule;
import java.lang.ref.Reference;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.json.JsonMapper;

/**
 * The phases of a module's first use, timed in-process on the plugin's own classes: fetch over
 * loopback HTTP with the sha256 check; compile ({@code WapcModule.compile}: the parse with
 * validation, the waPC checks, and the bytecode generation or the compile cache's load);
 * instantiate with the init hooks and snapshot; first call; and, apart, the parse alone. Runs in a
 * JVM of its own per mode:
 *
 * <pre>
 *   ColdStartPhases fresh    SALT SAMPLES NAME...   compile every module, no cache
 *   ColdStartPhases populate SALT SAMPLES NAME...   compile into the cache in DIR (bench.cache)
 *   ColdStartPhases cached   SALT SAMPLES NAME...   load from that cache, as after a restart
 *   ColdStartPhases first-use SALT bundled|new       one first use of greet, with no warm-up
 *   ColdStartPhases tiers    SALT SAMPLES NAME...   first calls interpreted vs compiled first
 * </pre>
 *
 * Each sample is the module with its own nonce (a new digest); SALT keeps nonces apart between
 * runs. Before measuring, the JVM compiles and calls other modules (the greet example and the
 * kernels, three times each), as a sidecar that has served steps has: compiling is Java code that
 * the JIT makes several times faster once it has run a few times. Without the cache it also
 * measures the heap one compiled module keeps. Prints one JSON object: {@code samples}, phase
 * durations in ms per module, one entry a sample; {@code retainedHeapMiB} per module.
 *
 * <p>{@code first-use} is the first thing a fresh JVM does: greet exactly as the plugin bundles it
 * ({@code bundled}: its code compiled when the plugin was built) or with a nonce ({@code new}:
 * parsed and compiled here). It prints the phases of that one use. The {@code tiers} mode prints
 * {@code tiers} instead, per module one entry a sample (see {@link #tiers}).
 */
public final class ColdStartPhases {

    private static final int WARM_UP_MODULES = 3;

    private ColdStartPhases() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String salt = args[1];
        if (mode.equals("first-use")) {
            firstUseAfterStart(salt, args[2]);
            return;
        }
        int samples = Integer.parseInt(args[2]);
        List<String> names = List.of(args).subList(3, args.length);
        if (mode.equals("tiers")) {
            tiers(salt, samples, names);
            return;
        }
        CompileCache cache =
                mode.equals("fresh")
                        ? null
                        : CompileCache.open(Path.of(System.getProperty("bench.cache")));
        InstanceLimits limits = InstanceLimits.ofMemory(64L << 20);
        ModuleFetcher fetcher = new ModuleFetcher(256L << 20, Duration.ofSeconds(60));
        Map<String, List<Map<String, Double>>> results = new LinkedHashMap<>();
        Map<String, Double> retained = new LinkedHashMap<>();
        try (ModuleServer server = ModuleServer.start()) {
            for (int i = 0; i < WARM_UP_MODULES; i++) {
                for (String warm : List.of("greet", "kernels")) {
                    byte[] variant =
                            Modules.withNonce(BenchModules.bytes(warm), salt + "-warm-" + i);
                    firstUse(server, fetcher, variant, warm, limits, null, warm + "-warm-" + i);
                }
            }
            for (String name : names) {
                byte[] module = BenchModules.bytes(name);
                List<Map<String, Double>> phases = new ArrayList<>();
                for (int i = 0; i < samples; i++) {
                    byte[] variant = Modules.withNonce(module, salt + "-" + name + "-" + i);
                    phases.add(firstUse(server, fetcher, variant, name, limits, cache, name + i));
                }
                results.put(name, phases);
                if (cache == null) {
                    retained.put(name, retainedHeapMiB(module, limits));
                }
            }
        }
        System.out.println(
                JsonMapper.builder()
                        .build()
                        .writeValueAsString(
                                Map.of("samples", results, "retainedHeapMiB", retained)));
    }

    /**
     * A module's first calls both ways, each sample with new digests, in ms: {@code
     * firstInterpreted} from the bytes to the first call's answer with the module running in the
     * interpreter while a background thread compiles it ({@code --first-calls interpreted}); {@code
     * compiledReady} from the bytes to its compiled code being in use, and {@code callsMeanwhile}
     * the calls the interpreter answered one after the other until then; {@code firstCompiled} from
     * the bytes to the first answer when it waits for the compilation ({@code --first-calls
     * compiled}); {@code interpretedCall} and {@code compiledCall} one more call of a warm instance
     * (median of five) in the interpreter alone and in compiled code.
     */
    private static void tiers(String salt, int samples, List<String> names) throws Exception {
        InstanceLimits limits = InstanceLimits.ofMemory(64L << 20);
        // The warm-up of the other modes, plus greet's first calls both ways (the kernel's take
        // seconds in the interpreter).
        for (int i = 0; i < WARM_UP_MODULES; i++) {
            for (String warm : List.of("greet", "kernels")) {
                byte[] variant = Modules.withNonce(BenchModules.bytes(warm), salt + "-warm-" + i);
                WapcModule compiled = WapcModule.compile(variant, Digests.sha256(variant));
                call(compiled.pool(limits), warm);
                compiled.close();
            }
            tierSample("greet", salt + "-warm-tiers-" + i, limits);
        }
        Map<String, List<Map<String, Double>>> results = new LinkedHashMap<>();
        for (String name : names) {
            List<Map<String, Double>> runs = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                runs.add(tierSample(name, salt + "-tiers-" + name + "-" + i, limits));
            }
            results.put(name, runs);
        }
        System.out.println(
                JsonMapper.builder().build().writeValueAsString(Map.of("tiers", results)));
    }

    private static Map<String, Double> tierSample(String name, String nonce, InstanceLimits limits)
            throws Exception {
        byte[] module = BenchModules.bytes(name);
        Map<String, Double> sample = new LinkedHashMap<>();

        byte[] tiered = Modules.withNonce(module, nonce + "-interpreted");
        long t0 = System.nanoTime();
        WapcModule first =
                WapcModule.compile(
                        tiered,
                        Digests.sha256(tiered),
                        null,
                        MemoryBudget.unlimited(),
                        new BackgroundCompiler());
        long[] readyAt = new long[1];
        CompletableFuture<Void> ready =
                first.compiledCode().thenRun(() -> readyAt[0] = System.nanoTime());
        InstancePool pool = first.pool(limits);
        call(pool, name);
        sample.put("firstInterpreted", millis(System.nanoTime() - t0));
        ready.join();
        sample.put("compiledReady", millis(readyAt[0] - t0));
        first.close();

        byte[] waiting = Modules.withNonce(module, nonce + "-compiled");
        long t1 = System.nanoTime();
        WapcModule compiledFirst = WapcModule.compile(waiting, Digests.sha256(waiting));
        InstancePool compiledPool = compiledFirst.pool(limits);
        call(compiledPool, name);
        sample.put("firstCompiled", millis(System.nanoTime() - t1));
        sample.put("compiledCall", medianCall(compiledPool, name));
        compiledFirst.close();

        byte[] held = Modules.withNonce(module, nonce + "-interpreter-alone");
        WapcModule interpreted =
                WapcModule.compile(
                        held,
                        Digests.sha256(held),
                        null,
                        MemoryBudget.unlimited(),
                        new BackgroundCompiler(compilation -> {}));
        InstancePool interpretedPool = interpreted.pool(limits);
        call(interpretedPool, name);
        double interpretedCall = medianCall(interpretedPool, name);
        sample.put("interpretedCall", interpretedCall);
        interpreted.close();
        // Calling while the compiler works would take CPU from it, on a machine of two cores as
        // the pod's limit: so the calls meanwhile are counted from the times.
        sample.put(
                "callsMeanwhile",
                Math.max(
                        0,
                        Math.floor(
                                (sample.get("compiledReady") - sample.get("firstInterpreted"))
                                        / interpretedCall)));
        return sample;
    }

    private static void call(InstancePool pool, String name) throws Exception {
        GuestOutput output = GuestOutput.keeping(5);
        WapcInstance instance = pool.borrow(output);
        instance.call(
                BenchModules.operation(name), BenchModules.STEP_PAYLOAD, HostBindings.NONE, output);
        pool.giveBack(instance);
    }

    /** The median of up to five calls, fewer when they take more than a second together. */
    private static double medianCall(InstancePool pool, String name) throws Exception {
        List<Double> calls = new ArrayList<>();
        long begin = System.nanoTime();
        while (calls.size() < 5 && System.nanoTime() - begin < 1_000_000_000L) {
            long start = System.nanoTime();
            call(pool, name);
            calls.add(millis(System.nanoTime() - start));
        }
        return Samples.of(calls).median();
    }

    private static void firstUseAfterStart(String salt, String variant) throws Exception {
        byte[] greet = BenchModules.bytes("greet");
        byte[] module =
                switch (variant) {
                    case "bundled" -> greet;
                    case "new" -> Modules.withNonce(greet, salt + "-first-use");
                    default ->
                            throw new IllegalArgumentException(
                                    "first-use takes bundled or new, not " + variant);
                };
        InstanceLimits limits = InstanceLimits.ofMemory(64L << 20);
        ModuleFetcher fetcher = new ModuleFetcher(256L << 20, Duration.ofSeconds(60));
        Map<String, Double> phases;
        try (ModuleServer server = ModuleServer.start()) {
            phases = firstUse(server, fetcher, module, "greet", limits, null, "greet-" + variant);
        }
        System.out.println(JsonMapper.builder().build().writeValueAsString(phases));
    }

    /**
     * The heap a compiled module with one pooled instance keeps, as the sidecar holds it: the
     * module with a nonce, so that a bundled example is compiled as any new module is.
     */
    private static double retainedHeapMiB(byte[] bundled, InstanceLimits limits) throws Exception {
        byte[] module = Modules.withNonce(bundled, "retained");
        long before = usedHeapAfterGc();
        WapcModule kept = WapcModule.compile(module, Digests.sha256(module));
        InstancePool pool = kept.pool(limits);
        pool.giveBack(pool.borrow(GuestOutput.keeping(5)));
        long after = usedHeapAfterGc();
        Reference.reachabilityFence(kept);
        return (after - before) / (double) (1 << 20);
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static Map<String, Double> firstUse(
            ModuleServer server,
            ModuleFetcher fetcher,
            byte[] variant,
            String name,
            InstanceLimits limits,
            CompileCache cache,
            String path)
            throws Exception {
        URI url = server.serve(path + ".wasm", variant);
        GuestOutput output = GuestOutput.keeping(5);

        long t0 = System.nanoTime();
        byte[] bytes = fetcher.fetch(url);
        String digest = Digests.sha256(bytes);
        long t1 = System.nanoTime();
        WapcModule module = WapcModule.compile(bytes, digest, cache);
        long t2 = System.nanoTime();
        InstancePool pool = module.pool(limits);
        WapcInstance instance = pool.borrow(output);
        long t3 = System.nanoTime();
        instance.call(
                BenchModules.operation(name), BenchModules.STEP_PAYLOAD, HostBindings.NONE, output);
        long t4 = System.nanoTime();
        pool.giveBack(instance);
        // How much of compile is the parse (with validation): timed on its own afterwards, so
        // the first use above runs exactly as in the sidecar.
        long t5 = System.nanoTime();
        Parser.parse(bytes);
        long t6 = System.nanoTime();

        Map<String, Double> phases = new LinkedHashMap<>();
        phases.put("fetch", millis(t1 - t0));
        phases.put("compile", millis(t2 - t1));
        phases.put("instantiate", millis(t3 - t2));
        phases.put("call", millis(t4 - t3));
        phases.put("parse", millis(t6 - t5));
        phases.put("precompiled", module.precompiled() ? 1.0 : 0.0);
        return phases;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
