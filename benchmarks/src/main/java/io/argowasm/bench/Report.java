package io.argowasm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.data.category.DefaultCategoryDataset;

/** Writes docs/performance.md and its charts from one run's figures. */
final class Report {

    /** Everything one run measured. */
    record Figures(
            Machine machine,
            double loadBefore,
            Samples loadDuring,
            long runSeconds,
            Map<String, Long> moduleBytes,
            StartupRun.Result startup,
            WarmHttpRun.Result http,
            ColdStartRun.Result cold,
            Map<String, Samples> invocation,
            KernelRun.Result kernels,
            Samples spawnMicros,
            AgentRun.Result agent) {}

    private record Target(String what, String goal, String measured, boolean met, String why) {
        Target(String what, String goal, String measured, boolean met) {
            this(what, goal, measured, met, "");
        }
    }

    private final BenchSetup setup;
    private final Figures f;
    private final Charts charts;
    private final StringBuilder md = new StringBuilder();

    Report(BenchSetup setup, Figures figures, Path chartDirectory) {
        this.setup = setup;
        this.f = figures;
        this.charts = new Charts(chartDirectory);
    }

    void write(Path file) throws IOException {
        header();
        targets();
        warmHttp();
        coldStart();
        invocation();
        kernels();
        processBaseline();
        startup();
        registryPull(file.resolveSibling("performance").resolve("registry-pull.md"));
        memory(file.resolveSibling("performance").resolve("memory.md"));
        agentMode();
        method();
        Files.writeString(file, md.toString());
    }

    /**
     * Section 7 as the tagged RegistryPullMeasure test wrote it (it needs docker-registry and runs
     * apart): kept as it is, so a run of this harness does not drop it.
     */
    private void registryPull(Path section) throws IOException {
        if (Files.isRegularFile(section)) {
            md.append(Files.readString(section).strip()).append("\n\n");
        }
    }

    /**
     * The "Memory" section as {@code benchmarks/memory.sh} wrote it (it starts dozens of sidecars,
     * so it runs apart): kept as it is, so a run of this harness does not drop it.
     */
    private void memory(Path section) throws IOException {
        if (Files.isRegularFile(section)) {
            md.append(Files.readString(section).strip()).append("\n\n");
        }
    }

    private void header() {
        Machine m = f.machine();
        line("# Performance");
        line();
        line(
                "Every figure on this page comes from one run of `benchmarks/run.sh`, on one"
                    + " machine, written by the run itself; nothing is copied from elsewhere. Each"
                    + " figure is the median of repeated measurements; tables say how many.");
        if (setup.quick()) {
            line();
            line(
                    "**This is a quick run** (`run.sh --quick`): fewer and shorter repetitions, to"
                            + " check the harness. Its figures are indicative only.");
        }
        line();
        line("| | |");
        line("|---|---|");
        line("| date | " + m.date() + " |");
        line("| processor | " + m.cpu() + ", " + m.cores() + " cores |");
        line("| memory | " + String.format(Locale.ROOT, "%.1f GiB", m.memoryMiB() / 1024.0) + " |");
        line("| system | " + m.kernel() + " |");
        line("| Java | " + m.java() + " |");
        line("| Node.js (V8) | " + m.node() + " |");
        line("| C compiler | " + m.clang() + " |");
        line("| run time | " + f.runSeconds() / 60 + " min " + f.runSeconds() % 60 + " s |");
        line(
                "| machine load | 1-minute load average "
                        + num(f.loadBefore(), 2)
                        + " before the run; during it "
                        + num(f.loadDuring().min(), 2)
                        + " to "
                        + num(f.loadDuring().max(), 2)
                        + " (median "
                        + num(f.loadDuring().median(), 2)
                        + ") on "
                        + m.cores()
                        + " cores |");
        line();
        line(
                "The load includes the benchmarks themselves (the load generator and the sidecar"
                        + " share the cores); anything above that is other work on the machine,"
                        + " which makes every figure here slower and noisier than on an idle one.");
        line();
    }

    private void targets() {
        List<Target> targets = new ArrayList<>();
        WarmHttpRun.Load one = load(1);
        WarmHttpRun.Load thirtyTwo = load(32);
        targets.add(
                new Target(
                        "warm invocation over HTTP, p50 (1 client)",
                        "≤ 250 µs",
                        micros(one.medianP50Micros()),
                        one.medianP50Micros() <= 250));
        targets.add(
                new Target(
                        "warm invocation over HTTP, p99 (1 client)",
                        "≤ 1 ms",
                        micros(one.medianP99Micros()),
                        one.medianP99Micros() <= 1000));
        targets.add(
                new Target(
                        "throughput at 32 clients",
                        "≥ 5,000 invocations/s",
                        perSecond(thirtyTwo.medianPerSecond()),
                        thirtyTwo.medianPerSecond() >= 5000));
        double restore = f.invocation().get("snapshotRestoreAndCall module=echo").median();
        targets.add(
                new Target(
                        "in-process snapshot restore + trivial call",
                        "≤ 20 µs",
                        micros(restore),
                        restore <= 20));
        double small = f.cold().warmSidecar().get("greet").median();
        double large = f.cold().warmSidecar().get("large").median();
        targets.add(
                new Target(
                        "cold start, small module (" + kib(f.moduleBytes().get("greet")) + ")",
                        "≤ 100 ms",
                        millis(small),
                        small <= 100));
        ColdStartRun.Phases largePhases = f.cold().phases().get("fresh").get("large");
        targets.add(
                new Target(
                        "cold start, large module (" + mib(f.moduleBytes().get("large")) + ")",
                        "≤ 1 s",
                        millis(large),
                        large <= 1000,
                        "In-process (section 2), "
                                + millis(largePhases.medianMillis().get("compile"))
                                + " of the "
                                + millis(largePhases.total())
                                + " go to `WapcModule.compile`: Chicory's parse with validation"
                                + " (about "
                                + millis(largePhases.parseMillis())
                                + " of it) and its bytecode generation, plain Java that is fast"
                                + " only once the JIT has compiled it. Profiles of the parse show"
                                + " Chicory's"
                                + " `Validator.validateFunction` as the hottest method; the"
                                + " generated module (a 32-way switch, 33 nested blocks, in each"
                                + " of 1,600 functions) may be harder on it than typical code."
                                + " The compile cache skips the bytecode generation after a"
                                + " restart, not the parse."));
        double toNative = geomeanRatio("Chicory compiler", "native");
        double overInterpreter = geomeanRatio("Chicory interpreter", "Chicory compiler");
        String worst =
                KernelRun.KERNELS.stream()
                        .max(
                                java.util.Comparator.comparingDouble(
                                        k -> ratio(k, "Chicory compiler", "native")))
                        .orElseThrow();
        targets.add(
                new Target(
                        "Chicory compiler vs native (geometric mean of the kernels)",
                        "within 3×",
                        times(toNative) + " native's time",
                        toNative <= 3,
                        "The gap is "
                                + worst
                                + " ("
                                + times(ratio(worst, "Chicory compiler", "native"))
                                + "; V8 "
                                + times(ratio(worst, "V8 (@wapc/host)", "native"))
                                + "). Native code has SIMD (clang vectorises such loops with SSE2),"
                                + " wasm32 without the SIMD proposal has none. Chicory's compiled"
                                + " code calls the memory for every access (the plugin's flat"
                                + " memory, one array, where Chicory's own is paged) and the JIT"
                                + " keeps each access's bounds check inside the loop; and every"
                                + " loop back-edge reads the thread's interrupt flag, a volatile"
                                + " read (that is how it stops at a timeout). See section 4."));
        targets.add(
                new Target(
                        "Chicory compiler vs interpreter (geometric mean)",
                        "≥ 10× faster",
                        times(overInterpreter) + " faster",
                        overInterpreter >= 10));
        StartupRun.Result startup = f.startup();
        StartupRun.Figures old = startup.of(StartupRun.Variant.BUILD_JDK_CDS);
        StartupRun.Figures image = startup.of(StartupRun.Variant.IMAGE_JDK_AOT);
        String oldLabel = startup.label(StartupRun.Variant.BUILD_JDK_CDS);
        String imageLabel = startup.label(StartupRun.Variant.IMAGE_JDK_AOT);
        for (String module : StartupRun.NEW_WORKFLOW_MODULES) {
            double goal = module.equals("greet") ? 300 : 1000;
            double measured = image.newWorkflowMillis().get(module).median();
            targets.add(
                    new Target(
                            "first step of a new workflow, %s module (%s): process start → first"
                                            .formatted(
                                                    name(module),
                                                    bytes(f.moduleBytes().get(module)))
                                    + " Succeeded",
                            "≤ " + millis(goal),
                            "%s: %s; %s: %s"
                                    .formatted(
                                            imageLabel,
                                            millis(measured),
                                            oldLabel,
                                            millis(old.newWorkflowMillis().get(module).median())),
                            measured <= goal,
                            newWorkflowWhy(module, image)));
        }
        double ready = image.readyMillis().median();
        targets.add(
                new Target(
                        "sidecar start → ready",
                        "≤ 400 ms",
                        "%s: %s; %s: %s"
                                .formatted(
                                        imageLabel,
                                        millis(ready),
                                        oldLabel,
                                        millis(old.readyMillis().median())),
                        ready <= 400,
                        "Start-up is cold code on one thread while the JIT's compiler threads take"
                                + " the other core. The command line builds only the subcommand"
                                + " it runs; picocli's and ASM's class files, compiled for Java 5,"
                                + " are rewritten as Java 8 ones when the jar is built, so the"
                                + " archive and the AOT cache hold them; HTTP clients (and their"
                                + " TLS set-up) are made on first use, the module fetcher's in the"
                                + " background once the sidecar is ready; Jetty starts without"
                                + " JMX. What remains: creating the JVM with its cache mapped"
                                + " (about a quarter of a second on this machine, where a JVM"
                                + " that prints one line takes 0.1 s), then initialising the web"
                                + " server (Jetty's classes alone are some 230 static"
                                + " initialisers), the JSON mappers and the metrics, in"
                                + " interpreted code."));
        double rss = image.idleRssMiB().median();
        Map<String, Samples> parts = image.idleRssPartsMiB();
        targets.add(
                new Target(
                        "idle RSS",
                        "≤ 64 MiB",
                        "%s: %s MiB; %s: %s MiB"
                                .formatted(
                                        imageLabel,
                                        num(rss, 1),
                                        oldLabel,
                                        num(old.idleRssMiB().median(), 1)),
                        rss <= 64,
                        "With the "
                                + imageLabel
                                + ", "
                                + num(parts.get("class-data archives").median(), 1)
                                + " MiB are the class-data archives (the JDK's and the plugin's,"
                                + " mapped from disk; they stand in for metaspace: without an"
                                + " archive the RSS is "
                                + num(
                                        startup.of(StartupRun.Variant.BUILD_JDK)
                                                .idleRssMiB()
                                                .median(),
                                        1)
                                + " MiB on the build's JDK), "
                                + num(parts.get("libjvm.so").median(), 1)
                                + " MiB the JVM's library and "
                                + num(parts.get("anonymous").median(), 1)
                                + " MiB anonymous memory: heap, code cache, metaspace, thread"
                                + " stacks (section 6; \"Memory\" says what was tried)."));
        line("## Targets");
        line();
        line("| target | goal | measured | met |");
        line("|---|---|---|---|");
        for (Target t : targets) {
            line(
                    "| "
                            + t.what()
                            + " | "
                            + t.goal()
                            + " | "
                            + t.measured()
                            + " | "
                            + (t.met() ? "yes" : "**no**")
                            + " |");
        }
        line();
        List<Target> missed = targets.stream().filter(t -> !t.met() && !t.why().isEmpty()).toList();
        if (!missed.isEmpty()) {
            line("Where a target is missed:");
            line();
            for (Target t : missed) {
                line("- *" + t.what() + "*: " + t.why());
            }
            line();
        }
    }

    private double ratio(String kernel, String runtime, String baseline) {
        return f.kernels().millis().get(kernel).get(runtime).median()
                / f.kernels().millis().get(kernel).get(baseline).median();
    }

    private void warmHttp() throws IOException {
        line("## 1. Warm invocation over HTTP");
        line();
        line(
                "A running sidecar answers `template.execute` for a step that calls the trivial"
                        + " echo guest ("
                        + bytes(f.moduleBytes().get("echo"))
                        + "; it answers its payload), pinned by sha256 and already compiled."
                        + " Closed-loop clients on keep-alive connections send the next request as"
                        + " soon as the reply arrives; every reply is checked for a Succeeded node."
                        + " The sidecar runs as the manifest starts it (see Method) with its"
                        + " default `--max-concurrent 16`, after a warm-up at 32 clients. Latency"
                        + " is measured at the client, so it includes the loopback round trip.");
        line();
        line("| clients | invocations/s | p50 | p99 | failed | rounds |");
        line("|---|---|---|---|---|---|");
        DefaultCategoryDataset throughput = new DefaultCategoryDataset();
        DefaultCategoryDataset latency = new DefaultCategoryDataset();
        for (WarmHttpRun.Load load : f.http().loads()) {
            line(
                    "| "
                            + load.clients()
                            + " | "
                            + perSecond(load.medianPerSecond())
                            + " | "
                            + micros(load.medianP50Micros())
                            + " | "
                            + micros(load.medianP99Micros())
                            + " | "
                            + load.failed()
                            + " | "
                            + load.rounds().size()
                            + " × "
                            + load.rounds().get(0).elapsed().toSeconds()
                            + " s |");
            String clients = load.clients() + (load.clients() == 1 ? " client" : " clients");
            throughput.addValue(load.medianPerSecond(), "invocations/s", clients);
            latency.addValue(load.medianP50Micros(), "p50", clients);
            latency.addValue(load.medianP99Micros(), "p99", clients);
        }
        line();
        line(
                "Resident memory of the sidecar after the load: "
                        + num(f.http().rssAfterLoadMiB(), 1)
                        + " MiB. Under this load the heap grows toward its cap ("
                        + setup.pod().heapShare()
                        + " of "
                        + setup.pod().memoryLimit()
                        + ") and the serial collector gives back only what a full collection"
                        + " frees beyond the manifest's free-ratio settings: every request here is"
                        + " a new step, and the sidecar keeps up to 4,096 finished invocations for"
                        + " Argo's retries of the same step.");
        line();
        image(
                charts.bars(
                        "http-throughput.png",
                        "Warm invocations per second over HTTP",
                        "invocations/s",
                        throughput,
                        false),
                "throughput");
        image(
                charts.bars(
                        "http-latency.png",
                        "Warm invocation latency over HTTP",
                        "µs",
                        latency,
                        false),
                "latency");
    }

    private void coldStart() throws IOException {
        line("## 2. Cold start of a new module");
        line();
        line(
                "A step names a module the sidecar has never seen: the module is fetched over"
                    + " loopback HTTP, checked against its sha256, parsed, compiled to JVM"
                    + " bytecode, instantiated (init hooks, snapshot) and called. Each sample is"
                    + " the module with a fresh nonce in a custom section, so its digest is new."
                    + " Small: the greet example, "
                        + bytes(f.moduleBytes().get("greet"))
                        + ". Large: a generated C guest of 1,600 functions (`benchmarks/kernels/"
                        + "generate-large.mjs`), "
                        + bytes(f.moduleBytes().get("large"))
                        + ", whose first call runs every function once.");
        line();
        line("### First step in a warm sidecar (end to end over HTTP)");
        line();
        line(
                "Each sample in a sidecar of its own (with the CDS archive) that has first compiled"
                    + " and called six other modules (greet and the kernels, three times each):"
                    + " compiling is Java code that the JIT speeds up severalfold once it has run,"
                    + " and one sample's compiled large module (tens of MiB of heap) would crowd"
                    + " the next one's compilation in a 512Mi container. The sidecar runs with its"
                    + " defaults, so the module's first step waits for its compilation"
                    + " (`--first-calls compiled`).");
        line();
        line("| module | size | first step, median | min | max | samples |");
        line("|---|---|---|---|---|---|");
        for (String name : ColdStartRun.MODULES) {
            Samples s = f.cold().warmSidecar().get(name);
            line(
                    "| "
                            + label(name)
                            + " | "
                            + bytes(f.moduleBytes().get(name))
                            + " | "
                            + millis(s.median())
                            + " | "
                            + millis(s.min())
                            + " | "
                            + millis(s.max())
                            + " | "
                            + s.count()
                            + " |");
        }
        line();
        line("### Where the time goes (in-process)");
        line();
        line(
                "The same first use timed phase by phase on the plugin's classes, in a JVM of its"
                    + " own that has first compiled and called six other modules, as a serving"
                    + " sidecar has. *fetch* includes the sha256 check; *compile* is"
                    + " `WapcModule.compile`: the parse with Chicory's validation, the waPC checks"
                    + " and the bytecode generation, or with a cache hit the load of stored code (a"
                    + " JVM of its own loads what an earlier process stored, as after a restart);"
                    + " *parse alone* is the parse by itself, timed apart (a part of compile);"
                    + " *instantiate* is the instance with its init hooks and snapshot. The samples"
                    + " of a module run one after the other in that JVM, so later ones find the"
                    + " compiler's code hotter than the first: the end-to-end samples above are"
                    + " each the first of their module in their sidecar.");
        line();
        line(
                "| module | compile cache | fetch | compile | parse alone | instantiate |"
                        + " first call | total | first sample's total | samples |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        DefaultCategoryDataset phases = new DefaultCategoryDataset();
        for (String name : ColdStartRun.MODULES) {
            for (Map.Entry<String, Map<String, ColdStartRun.Phases>> mode :
                    f.cold().phases().entrySet()) {
                ColdStartRun.Phases p = mode.getValue().get(name);
                boolean cached = mode.getKey().equals("cached");
                Map<String, Double> ms = p.medianMillis();
                line(
                        "| "
                                + label(name)
                                + " | "
                                + (cached ? "hit" : "none")
                                + " | "
                                + millis(ms.get("fetch"))
                                + " | "
                                + millis(ms.get("compile"))
                                + " | "
                                + millis(p.parseMillis())
                                + " | "
                                + millis(ms.get("instantiate"))
                                + " | "
                                + millis(ms.get("call"))
                                + " | "
                                + millis(p.total())
                                + " | "
                                + millis(p.firstTotalMillis())
                                + " | "
                                + p.samples()
                                + " |");
                for (String phase : ColdStartRun.PHASES) {
                    phases.addValue(
                            ms.get(phase),
                            phase,
                            label(name) + (cached ? ", cache hit" : ", no cache"));
                }
            }
        }
        line();
        image(
                charts.stacked(
                        "cold-start-phases.png",
                        "First use of a new module, by phase (medians)",
                        "ms",
                        phases),
                "cold start phases");
        line(
                "A compiled module with one pooled instance keeps "
                        + num(f.cold().retainedHeapMiB().get("greet"), 1)
                        + " MiB of heap for the small module and "
                        + num(f.cold().retainedHeapMiB().get("large"), 1)
                        + " MiB for the large one (mostly Chicory's parsed code, which every new"
                        + " instance needs); `--max-modules` bounds how many are kept, not their"
                        + " size.");
        line();
        firstCalls();
        line("### After a sidecar restart, with and without the compile cache");
        line();
        line(
                "A new sidecar process (with the CDS archive) is started, and the first step it"
                    + " serves uses a module it has not compiled in this process; with"
                    + " `--compile-cache DIR` an earlier process left the module's compiled code"
                    + " there. Latency of that first step, end to end; each sample is a restart.");
        line();
        line(
                "| module | no cache | compile cache | no cache, `--first-calls interpreted` |"
                        + " cache entry | restarts |");
        line("|---|---|---|---|---|---|");
        DefaultCategoryDataset restarts = new DefaultCategoryDataset();
        for (String name : ColdStartRun.MODULES) {
            Samples plain = f.cold().afterRestart().get("no cache").get(name);
            Samples cached = f.cold().afterRestart().get("compile cache").get(name);
            line(
                    "| "
                            + label(name)
                            + " | "
                            + millis(plain.median())
                            + " | "
                            + millis(cached.median())
                            + " | "
                            + millis(
                                    f.cold()
                                            .afterRestart()
                                            .get("first calls interpreted")
                                            .get(name)
                                            .median())
                            + " | "
                            + bytes(f.cold().cacheEntryBytes().get(name))
                            + " | "
                            + plain.count()
                            + " |");
            restarts.addValue(plain.median(), "no cache", label(name));
            restarts.addValue(cached.median(), "compile cache", label(name));
        }
        line();
        image(
                charts.bars(
                        "cold-start-restart.png",
                        "First step after a restart (medians)",
                        "ms",
                        restarts,
                        false),
                "first step after restart");
        compileCacheVerdict();
        bundledFirstUse();
    }

    private void bundledFirstUse() {
        Map<String, ColdStartRun.Phases> byVariant = f.cold().bundledFirstUse();
        line("### The bundled examples, compiled when the plugin is built");
        line();
        line(
                "The example modules the plugin bundles are compiled to JVM classes by the build"
                    + " (`chicory-compiler-maven-plugin`): for a module with the sha256 of a"
                    + " bundled one, only the sections without code are parsed, and nothing is"
                    + " compiled. greet's first use as the first thing a JVM of its own does (the"
                    + " plugin's classes, without the CDS archive), as bundled and with a nonce (a"
                    + " module the build did not compile), taking turns; phases as above. Its"
                    + " classes are loaded and verified when the first instance is made, so part of"
                    + " the saving moves from *compile* to *instantiate*.");
        line();
        line("| greet | fetch | compile | instantiate | first call | total | samples |");
        line("|---|---|---|---|---|---|---|");
        for (String variant : ColdStartRun.BUNDLED_VARIANTS) {
            ColdStartRun.Phases p = byVariant.get(variant);
            Map<String, Double> ms = p.medianMillis();
            line(
                    "| "
                            + (variant.equals("bundled")
                                    ? "bundled (the build's classes)"
                                    : "new digest (parsed and compiled here)")
                            + " | "
                            + millis(ms.get("fetch"))
                            + " | "
                            + millis(ms.get("compile"))
                            + " | "
                            + millis(ms.get("instantiate"))
                            + " | "
                            + millis(ms.get("call"))
                            + " | "
                            + millis(p.total())
                            + " | "
                            + p.samples()
                            + " |");
        }
        line();
    }

    private void firstCalls() {
        line("### First calls in the interpreter while the module compiles");
        line();
        line(
                "`--first-calls interpreted` answers a new module's first calls in Chicory's"
                    + " interpreter as soon as it is parsed and checked, while one background"
                    + " thread generates its bytecode; a call running when the code is ready moves"
                    + " into it at its next function call, and instances made after that run it."
                    + " `--first-calls compiled`, the default, waits for the compilation. Timed"
                    + " in-process (`ColdStartPhases tiers`, a JVM of its own warmed up as above),"
                    + " each sample with new digests: *first answer* runs from the module's bytes"
                    + " to the first call's answer; *compiled code ready* from the bytes to the"
                    + " compiled code in use, and the interpreter answers *calls meanwhile* one"
                    + " after the other until then; *one call* is a further call of a warm"
                    + " instance, in the interpreter alone or in compiled code. The kernel is"
                    + " matmul, whose loops call no function: its first call runs compiled when the"
                    + " code is ready by the time the guest calls the kernel's function, and stays"
                    + " in the interpreter to its end when it is not (*one call, interpreted*: the"
                    + " worst case). *Crossover*: a first call needing more compiled guest time"
                    + " than this, all of it in the interpreter, would be answered sooner by"
                    + " waiting for the compiler.");
        line();
        line(
                "| module | first answer, interpreted | first answer, compiled first | compiled"
                    + " code ready | calls meanwhile | one call, interpreted | one call, compiled |"
                    + " crossover | samples |");
        line("|---|---|---|---|---|---|---|---|---|");
        for (String name : ColdStartRun.TIER_MODULES) {
            ColdStartRun.Tiers t = f.cold().tiers().get(name);
            double crossover = t.crossoverGuestMillis();
            line(
                    "| %s | %s | %s | %s | %s | %s | %s | %s | %d |"
                            .formatted(
                                    label(name),
                                    millis(t.firstInterpreted()),
                                    millis(t.firstCompiled()),
                                    millis(t.compiledReady()),
                                    num(t.callsMeanwhile(), 0),
                                    millis(t.interpretedCall()),
                                    millis(t.compiledCall()),
                                    Double.isInfinite(crossover)
                                            ? "none"
                                            : millis(crossover) + " of guest time",
                                    t.samples()));
        }
        line();
    }

    private void compileCacheVerdict() {
        Map<String, ColdStartRun.Phases> fresh = f.cold().phases().get("fresh");
        Map<String, ColdStartRun.Phases> cached = f.cold().phases().get("cached");
        line("**The compile cache.**");
        line();
        for (String name : ColdStartRun.MODULES) {
            double compile = fresh.get(name).medianMillis().get("compile");
            double load = cached.get(name).medianMillis().get("compile");
            double restartPlain = f.cold().afterRestart().get("no cache").get(name).median();
            double restartCached = f.cold().afterRestart().get("compile cache").get(name).median();
            line(
                    "- "
                            + label(name)
                            + ": `WapcModule.compile` takes "
                            + millis(load)
                            + " with a cache hit and "
                            + millis(compile)
                            + " without; the first step after a restart takes "
                            + millis(restartCached)
                            + " with the cache and "
                            + millis(restartPlain)
                            + " without.");
        }
        line();
        line(
                "A hit saves the bytecode generation, not the parse and validation, which Chicory"
                        + " needs for every instance. It pays only when the same module meets a new"
                        + " process. In a cluster that does not happen: an executor plugin gets no"
                        + " volumes (Argo takes only the container from the manifest), and a"
                        + " restarted container starts with a fresh file system. So"
                        + " `--compile-cache DIR` stays off by default; it is for `run` and"
                        + " `dry-run` on a workstation, which start a new JVM for every invocation,"
                        + " and for deployments that give the sidecar a volume.");
        line();
    }

    private void invocation() throws IOException {
        line("## 3. Per-invocation cost in-process");
        line();
        line(
                "JMH (`InvocationBenchmark`, average time, "
                        + f.invocation().values().iterator().next().count()
                        + " one-second iterations after warm-up, 1 fork) on the plugin's own"
                        + " `io.argowasm.wapc` classes, with the step payload the executor sends:"
                        + " *snapshot restore + call* borrows a pooled instance, calls it and gives"
                        + " it back (the memory, globals and tables are written back from the"
                        + " post-init snapshot: what the sidecar does); *fresh instance + call*"
                        + " instantiates and runs the init hooks for every call; *dirty reuse*"
                        + " calls one instance again and again with no reset, the floor, but state"
                        + " leaks from one step into the next. echo has one 64 KiB page of memory;"
                        + " greet (C, wasi-libc) has more, and its init hooks run libc's"
                        + " constructors.");
        line();
        line("| module | snapshot restore + call | fresh instance + call | dirty reuse |");
        line("|---|---|---|---|");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String module : List.of("echo", "greet")) {
            double restore = f.invocation().get("snapshotRestoreAndCall module=" + module).median();
            double fresh = f.invocation().get("freshInstanceAndCall module=" + module).median();
            double dirty = f.invocation().get("dirtyInstanceCall module=" + module).median();
            line(
                    "| "
                            + module
                            + " | "
                            + micros(restore)
                            + " | "
                            + micros(fresh)
                            + " | "
                            + micros(dirty)
                            + " |");
            data.addValue(restore, "snapshot restore + call", module);
            data.addValue(fresh, "fresh instance + call", module);
            data.addValue(dirty, "dirty reuse", module);
        }
        line();
        image(
                charts.bars(
                        "invocation.png",
                        "In-process cost of one invocation (medians)",
                        "µs",
                        data,
                        true),
                "per-invocation cost");
    }

    private void kernels() throws IOException {
        line("## 4. Compute kernels");
        line();
        line(
                "Three kernels in one C source (`benchmarks/kernels/kernels.c`): sha256 of 8 MiB,"
                    + " n-body (5 bodies, 1,000,000 steps) and a 384×384 double matrix multiply."
                    + " The same source is built with clang -O2 for wasm32-wasi as a waPC guest"
                    + " (`guest.c`) and for x86-64 with a small `main()` (`native.c`). The guest"
                    + " runs on V8 (Node.js) through the reference JavaScript waPC host"
                    + " `@wapc/host`, and on Chicory compiled to JVM bytecode and interpreted (JMH"
                    + " single-shot, `KernelBenchmark`). Time per call; in brackets the ratio to"
                    + " native.");
        line();
        StringBuilder head = new StringBuilder("| kernel");
        StringBuilder rule = new StringBuilder("|---");
        for (String runtime : KernelRun.RUNTIMES) {
            head.append(" | ").append(runtime);
            rule.append("|---");
        }
        line(head + " |");
        line(rule + "|");
        DefaultCategoryDataset ratios = new DefaultCategoryDataset();
        for (String kernel : KernelRun.KERNELS) {
            Map<String, Samples> byRuntime = f.kernels().millis().get(kernel);
            double nativeMs = byRuntime.get("native").median();
            StringBuilder row = new StringBuilder("| " + kernel);
            for (String runtime : KernelRun.RUNTIMES) {
                double ms = byRuntime.get(runtime).median();
                row.append(" | ").append(millis(ms));
                if (!runtime.equals("native")) {
                    row.append(" (").append(times(ms / nativeMs)).append(")");
                    ratios.addValue(ms / nativeMs, runtime, kernel);
                }
            }
            line(row + " |");
        }
        StringBuilder geo = new StringBuilder("| geometric mean of the ratios | 1×");
        for (String runtime : KernelRun.RUNTIMES.subList(1, KernelRun.RUNTIMES.size())) {
            geo.append(" | ").append(times(geomeanRatio(runtime, "native")));
        }
        line(geo + " |");
        StringBuilder runs = new StringBuilder("| measured calls (median of)");
        for (String runtime : KernelRun.RUNTIMES) {
            runs.append(" | ").append(f.kernels().millis().get("sha256").get(runtime).count());
        }
        line(runs + " |");
        line();
        line(checksums());
        line();
        line(
                "What limits Chicory's compiled code here, read from its compiler's source:"
                    + " [docs/chicory-codegen.md](chicory-codegen.md). In short, the generated code"
                    + " inlines every memory access down to the load, but Chicory 1.7.5's own"
                    + " memory is paged, so each access loads its 64 KiB page from an array,"
                    + " null-checks and bounds-checks it inside the loop; the plugin therefore"
                    + " gives guests a flat memory of its own (one array), and the Chicory columns"
                    + " here run over it. Each loop back-edge still reads the thread's interrupt"
                    + " flag, a volatile read the JIT may not move loads across. That page measures"
                    + " both changes and proposes what would change it upstream.");
        line();
        image(
                charts.bars(
                        "kernels.png",
                        "Kernel time relative to native x86-64 (log scale)",
                        "× native time",
                        ratios,
                        true),
                "kernels relative to native");
    }

    private String checksums() {
        List<String> disagreements = new ArrayList<>();
        for (String kernel : KernelRun.KERNELS) {
            Map<String, String> byRuntime = f.kernels().checksums().get(kernel);
            String expected = byRuntime.get("native");
            byRuntime.forEach(
                    (runtime, sum) -> {
                        if (!sum.equals(expected)) {
                            disagreements.add(
                                    kernel + " on " + runtime + ": " + sum + " vs " + expected);
                        }
                    });
        }
        if (disagreements.isEmpty()) {
            return "Every runtime computed the same checksum for every kernel.";
        }
        return "**Checksums differ**: " + String.join("; ", disagreements) + ".";
    }

    private void processBaseline() throws IOException {
        line("## 5. Process per step vs warm invocation");
        line();
        line(
                "The baseline the plugin replaces, at its cheapest: a native program started for"
                    + " each step with posix_spawn, fed the step's JSON on stdin and answering it"
                    + " on stdout (what echo does), timed from spawn to exit ("
                        + f.spawnMicros().count()
                        + " spawns). A pod per step costs far more (1–2 s at p50: scheduling,"
                        + " image, container start); the warm HTTP figure is section 1's at one"
                        + " client.");
        line();
        WarmHttpRun.Load one = load(1);
        line("| | p50 | p99 |");
        line("|---|---|---|");
        line(
                "| native process per step | "
                        + micros(f.spawnMicros().median())
                        + " | "
                        + micros(f.spawnMicros().percentile(99))
                        + " |");
        line(
                "| warm invocation over HTTP | "
                        + micros(one.medianP50Micros())
                        + " | "
                        + micros(one.medianP99Micros())
                        + " |");
        line();
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        data.addValue(f.spawnMicros().median(), "p50", "native process per step");
        data.addValue(f.spawnMicros().percentile(99), "p99", "native process per step");
        data.addValue(one.medianP50Micros(), "p50", "warm invocation over HTTP");
        data.addValue(one.medianP99Micros(), "p99", "warm invocation over HTTP");
        image(
                charts.bars(
                        "process-baseline.png",
                        "Process per step vs warm invocation",
                        "µs",
                        data,
                        false),
                "process per step vs warm invocation");
    }

    private void startup() throws IOException {
        StartupRun.Result startup = f.startup();
        line("## 6. Sidecar start-up and memory");
        line();
        line(
                "`java -jar wasm-executor-plugin.jar serve` with the manifest's JVM options and"
                        + " environment, on the build's JDK without and with the class-data"
                        + " sharing archive the build records"
                        + " (`-XX:SharedArchiveFile=plugin-server/target/wasm-executor-plugin.jsa`:"
                        + " the image before it moved to JDK 25), and on the image's JDK with a"
                        + " dynamic CDS archive and with the AOT cache (JEP 483, 514, 515:"
                        + " classes loaded and linked ahead of time, and the training run's"
                        + " method profiles), each recorded by the image's training run"
                        + " (`serve --exit-after-warmup`: the bundled greet example, then a module"
                        + " fetched over loopback) as `Dockerfile` records it. The JVMs take"
                        + " turns, "
                        + startup.of(StartupRun.Variant.BUILD_JDK).readyMillis().count()
                        + " starts each. *start → ready*: from starting the process to the first"
                        + " 200 from `/healthz`, polled every millisecond; *logged*: what the"
                        + " sidecar logs as its start-up time (from JVM start); *idle RSS*:"
                        + " resident memory after 10 s of idling; *first step*: the bundled greet"
                        + " example right after (its code compiled when the plugin was built, so it"
                        + " is neither parsed nor compiled on that first use). *New workflow*: a"
                        + " sidecar started for one step, from starting the process to the first"
                        + " `Succeeded` reply for a module it has never seen (a nonce in a custom"
                        + " section), fetched over loopback, parsed, compiled and called: what the"
                        + " first step of every workflow costs in sidecar mode ("
                        + startup.of(StartupRun.Variant.BUILD_JDK)
                                .newWorkflowMillis()
                                .get("greet")
                                .count()
                        + " starts for greet, "
                        + startup.of(StartupRun.Variant.BUILD_JDK)
                                .newWorkflowMillis()
                                .get("large")
                                .count()
                        + " for the large module).");
        line();
        line(
                "| | start → ready | logged | idle RSS | first step | new workflow, greet |"
                        + " new workflow, large |");
        line("|---|---|---|---|---|---|---|");
        for (StartupRun.Variant variant : StartupRun.Variant.values()) {
            StartupRun.Figures s = startup.of(variant);
            line(
                    "| %s | %s | %s | %s MiB | %s | %s | %s |"
                            .formatted(
                                    startup.label(variant),
                                    millis(s.readyMillis().median()),
                                    millis(s.loggedMillis().median()),
                                    num(s.idleRssMiB().median(), 1),
                                    millis(s.firstStepMillis().median()),
                                    millis(s.newWorkflowMillis().get("greet").median()),
                                    millis(s.newWorkflowMillis().get("large").median())));
        }
        line();
        startupRssParts(startup);
        startupCharts(startup);
    }

    private void startupRssParts(StartupRun.Result startup) {
        line("What the idle RSS maps (medians, MiB, from `/proc/PID/smaps`):");
        line();
        StringBuilder head = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|---");
        for (String part : Sidecar.RSS_PARTS) {
            head.append(" | ").append(part);
            rule.append("|---");
        }
        line(head + " |");
        line(rule + "|");
        for (StartupRun.Variant variant : StartupRun.Variant.values()) {
            StringBuilder row = new StringBuilder("| " + startup.label(variant));
            for (String part : Sidecar.RSS_PARTS) {
                row.append(" | ")
                        .append(num(startup.of(variant).idleRssPartsMiB().get(part).median(), 1));
            }
            line(row + " |");
        }
        line();
    }

    private void startupCharts(StartupRun.Result startup) throws IOException {
        DefaultCategoryDataset time = new DefaultCategoryDataset();
        DefaultCategoryDataset memory = new DefaultCategoryDataset();
        for (StartupRun.Variant variant : StartupRun.Variant.values()) {
            StartupRun.Figures s = startup.of(variant);
            String label = startup.label(variant);
            time.addValue(s.readyMillis().median(), label, "start → ready");
            time.addValue(
                    s.newWorkflowMillis().get("greet").median(), label, "new workflow, greet");
            memory.addValue(s.idleRssMiB().median(), label, "idle RSS");
        }
        image(
                charts.bars("startup.png", "Sidecar start-up (medians)", "ms", time, false),
                "start-up");
        image(
                charts.bars(
                        "startup-rss.png", "Idle resident memory (medians)", "MiB", memory, false),
                "idle RSS");
    }

    /** Why the first step of a new workflow takes what it takes, from its parts. */
    private static String newWorkflowWhy(String module, StartupRun.Figures image) {
        double total = image.newWorkflowMillis().get(module).median();
        double ready = image.readyMillis().median();
        return "Of the %s, start → ready takes %s; the rest is the step on a JVM whose code is cold:"
                        .formatted(millis(total), millis(ready))
                + " the fetch, Chicory's parse and validation and its bytecode generation (Java"
                + " code that runs interpreted until the JIT has compiled it), the instance and the"
                + " call; section 2 shows the same phases on warm code.";
    }

    private void agentMode() {
        AgentRun.Result a = f.agent();
        int tasks = a.taskSets() * a.tasksEach();
        line("## Agent mode");
        line();
        line(
                "The long-lived agent (`agent`, [agent.md](agent.md)) against fabric8's mock API"
                        + " server (`KubernetesMockServer` in CRUD mode, the WorkflowTaskSet CRD"
                        + " with its status subresource), all in the benchmark's JVM over loopback,"
                        + " in the same run as the sidecar figures above (`AgentRun`;"
                        + " `benchmarks/agent.sh` runs it alone). *Latency*: a task set with one"
                        + " greet task is created, and the clock stops when the API server accepts"
                        + " the agent's status patch for it; one task set at a time, the module"
                        + " warm (compiled on the first of %d unmeasured runs), %d measured."
                                .formatted(a.warmupRuns(), a.latencyMillis().count())
                        + " *Throughput*: %d task sets of %d tasks each created back to back,"
                                .formatted(a.taskSets(), a.tasksEach())
                        + " until all %s results are accepted; 3 agents are separate clients with"
                                .formatted(num(tasks, 0))
                        + " shard Leases (12 shards), balanced before the clock starts.");
        line();
        line("| | agent mode |");
        line("|---|---|");
        line(
                "| task set written → result patched, p50 | "
                        + millis(a.latencyMillis().median())
                        + " |");
        line(
                "| task set written → result patched, p99 | "
                        + millis(a.latencyMillis().percentile(99))
                        + " |");
        line(
                "| throughput, 1 agent (%s tasks over %d task sets) | %s tasks/s |"
                        .formatted(num(tasks, 0), a.taskSets(), num(a.oneAgentPerSecond(), 0)));
        line(
                "| throughput, 3 agents (%s tasks over %d task sets) | %s tasks/s |"
                        .formatted(num(tasks, 0), a.taskSets(), num(a.threeAgentsPerSecond(), 0)));
        line();
        double p50 = a.latencyMillis().median();
        line(
                "The goal of p50 ≤ 20 ms is "
                        + (p50 <= 20 ? "met" : "**not met**")
                        + " here ("
                        + millis(p50)
                        + "). The mock API server is part of every figure, on the same cores as"
                        + " the agents: it serialises each request, applies patches by re-reading"
                        + " the whole object, and sends every change of a task set to every"
                        + " watching agent, so 3 agents on the same cores add more watch traffic"
                        + " than capacity; with a real API server and agents on their own nodes"
                        + " the agents' share is what scales.");
        line();
        StartupRun.Figures image = f.startup().of(StartupRun.Variant.IMAGE_JDK_AOT);
        line("What a user sees per step, sidecar mode vs agent mode, with this run's figures:");
        line();
        line("| part | sidecar mode | agent mode | measured here? |");
        line("|---|---|---|---|");
        line(
                "| agent pod created, scheduled, started (per workflow) | seconds (10–15 s"
                        + " reported in Argo #7891) | none | no: only a cluster shows it |");
        line(
                "| sidecar started, module fetched and compiled (per workflow) | %s for greet,"
                                .formatted(millis(image.newWorkflowMillis().get("greet").median()))
                        + " %s for the large module, from process start (section 6, %s) |"
                                .formatted(
                                        millis(image.newWorkflowMillis().get("large").median()),
                                        f.startup().label(StartupRun.Variant.IMAGE_JDK_AOT))
                        + " once per agent process: %s for greet in a running process (section 2) |"
                                .formatted(millis(f.cold().warmSidecar().get("greet").median()))
                        + " yes |");
        line(
                "| the step itself, warm | %s at p50 over HTTP (section 1) | the same executor,"
                                .formatted(micros(load(1).medianP50Micros()))
                        + " in-process | yes |");
        line(
                "| result reaches the task set | batched, up to `ARGO_AGENT_PATCH_RATE` (10 s) |"
                        + " written at once: p50 above | yes, against the mock |");
        line(
                "| controller notices the result | up to `DEFAULT_REQUEUE_TIME` (10 s) | the same"
                        + " | no: only a cluster shows it |");
        line();
    }

    private void method() {
        PodSettings pod = setup.pod();
        line("## Method");
        line();
        line(
                "- One command builds and measures everything: `benchmarks/run.sh` (add `--quick`"
                        + " for a short check of the harness). It builds the plugin jar and its CDS"
                        + " archive, the kernels and the large module, installs `@wapc/host`,"
                        + " records the image's AOT cache and a CDS archive with the image's JDK"
                        + " (`JAVA25_HOME`), runs every section in this order — start-up, warm"
                        + " HTTP, cold start, process baseline, in-process JMH, kernels, agent"
                        + " mode — and writes this page and `docs/performance/*.png`. The Memory"
                        + " section (`benchmarks/memory.sh`) and section 7 are measured apart and"
                        + " kept as they are.");
        line(
                "- Sidecars run as the manifest (`argo-plugin.yaml`) runs them: `JAVA_TOOL_OPTIONS="
                        + pod.javaToolOptions()
                        + "` and `"
                        + pod.otherEnvironment()
                        + "` in their environment, plus `"
                        + pod.maxRamFlag()
                        + "` standing in for the container's "
                        + pod.memoryLimit()
                        + " memory limit, which the JVM reads from its cgroup in a pod. Unless a"
                        + " table says otherwise they run on the build's JDK ("
                        + f.machine().java()
                        + ") with the CDS archive; section 6 compares the image's JDK with its"
                        + " AOT cache.");
        line(
                "- The load generator (`LoadGenerator`) and the module server run in the"
                        + " benchmark's JVM on the same cores as the sidecar, over loopback.");
        line(
                "- What recording metrics costs (a sidecar with and one with `--no-metrics`"
                        + " taking turns under the same load) and start-up against the build before"
                        + " the metrics, logs and traces came: `benchmarks/metrics-overhead.sh`,"
                        + " figures in [observability.md](observability.md#what-it-costs).");
        line(
                "- JMH 1.37 measures the in-process figures in forked JVMs; the native and V8"
                        + " kernels time themselves around each call, after the same number of"
                        + " unmeasured warm-up calls as Chicory's compiler gets.");
        line();
    }

    private WarmHttpRun.Load load(int clients) {
        return f.http().loads().stream()
                .filter(l -> l.clients() == clients)
                .findFirst()
                .orElseThrow();
    }

    private double geomeanRatio(String runtime, String baseline) {
        double[] ratios =
                KernelRun.KERNELS.stream()
                        .mapToDouble(
                                k ->
                                        f.kernels().millis().get(k).get(runtime).median()
                                                / f.kernels()
                                                        .millis()
                                                        .get(k)
                                                        .get(baseline)
                                                        .median())
                        .toArray();
        return Samples.geometricMean(ratios);
    }

    private void image(String file, String alt) {
        line("![" + alt + "](performance/" + file + ")");
        line();
    }

    private void line(String text) {
        md.append(text).append('\n');
    }

    private void line() {
        md.append('\n');
    }

    private static String label(String module) {
        return switch (module) {
            case "greet" -> "small (greet)";
            case "kernels" -> "compute (kernels, matmul)";
            default -> "large (generated)";
        };
    }

    private static String name(String module) {
        return module.equals("greet") ? "small" : "large";
    }

    static String num(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String micros(double micros) {
        if (micros >= 10_000) {
            return millis(micros / 1000);
        }
        return num(micros, micros < 1 ? 2 : micros < 100 ? 1 : 0) + " µs";
    }

    static String millis(double millis) {
        if (millis >= 10_000) {
            return num(millis / 1000, 1) + " s";
        }
        return num(millis, millis < 10 ? 2 : millis < 100 ? 1 : 0) + " ms";
    }

    static String times(double ratio) {
        return num(ratio, ratio < 10 ? 2 : ratio < 100 ? 1 : 0) + "×";
    }

    static String perSecond(double rate) {
        return num(rate, 0) + "/s";
    }

    static String bytes(long bytes) {
        return bytes >= 1 << 20 ? mib(bytes) : kib(bytes);
    }

    static String kib(long bytes) {
        return num(bytes / 1024.0, 1) + " KiB";
    }

    static String mib(long bytes) {
        return num(bytes / (double) (1 << 20), 2) + " MiB";
    }
}
