package io.argowasm.wapc;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.CompiledModule;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import io.argowasm.budget.MemoryBudget;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A module parsed, checked and compiled once, from which instances are made cheaply: a waPC guest
 * or a WASI command (see {@link ModuleKind}). It is shared between threads; its instances are not.
 * A module compiled in the background ({@link FirstCalls#interpreted}) makes its instances with
 * Chicory's interpreter until its compiled code is ready, and with the compiled code after that.
 */
public final class WapcModule {

    private static final int MAX_IDLE_PER_POOL = 32;

    /** Chicory's parser without custom sections, which the host never reads. */
    private static final Parser PARSER = standardSectionsOnly();

    private static final byte[] MAGIC = {0, 'a', 's', 'm'};
    private static final FunctionType GUEST_CALL_TYPE =
            FunctionType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));

    private final String digest;
    private final WasmModule module;
    private volatile Function<Instance, Machine> compiledMachineFactory;

    /** Instances made before the compiled code is ready: the interpreter, moving into it later. */
    private final Function<Instance, Machine> tiering =
            instance -> new TieringMachine(instance, this::compiledMachineFactory);

    private final CompletableFuture<Void> compiledCode = new CompletableFuture<>();
    private final Set<String> exports;
    private final MemoryLimits declaredMemory;
    private final MemoryBudget budget;
    private final boolean precompiled;
    private final MemoryBudget.Reclaimer dropIdle = wanted -> dropIdleInstances();
    private final Map<InstanceLimits, InstancePool> pools = new ConcurrentHashMap<>();

    private WapcModule(
            String digest,
            WasmModule module,
            Function<Instance, Machine> compiledMachineFactory,
            Set<String> exports,
            MemoryLimits declaredMemory,
            MemoryBudget budget,
            boolean precompiled) {
        this.digest = digest;
        this.module = module;
        this.compiledMachineFactory = compiledMachineFactory;
        this.exports = exports;
        this.declaredMemory = declaredMemory;
        this.budget = budget;
        this.precompiled = precompiled;
        budget.addReclaimer(dropIdle);
        if (compiledMachineFactory != null) {
            compiledCode.complete(null);
        }
    }

    /**
     * Parses, checks and compiles module bytes.
     *
     * @param digest the sha256 of the bytes, used to name the module in messages
     * @throws InvalidModuleException when the bytes are not a usable waPC module
     */
    public static WapcModule compile(byte[] bytes, String digest) throws InvalidModuleException {
        return compile(bytes, digest, null, MemoryBudget.unlimited());
    }

    /**
     * Like {@link #compile(byte[], String, CompileCache, MemoryBudget)} without a memory budget.
     */
    public static WapcModule compile(byte[] bytes, String digest, CompileCache cache)
            throws InvalidModuleException {
        return compile(bytes, digest, cache, MemoryBudget.unlimited());
    }

    /**
     * Parses and checks module bytes, and loads their compiled code from a cache, compiling and
     * storing it on a miss. A bundled example module (the same sha256) is neither parsed nor
     * compiled: its code is the classes the build made for it, checked as any other module.
     *
     * @param cache where compiled code is kept across restarts; null compiles every time
     * @param budget what the module's instances charge their memory, tables and snapshots to
     * @throws InvalidModuleException when the bytes are not a usable waPC module
     */
    public static WapcModule compile(
            byte[] bytes, String digest, CompileCache cache, MemoryBudget budget)
            throws InvalidModuleException {
        return compile(bytes, digest, cache, budget, null);
    }

    /**
     * Parses and checks module bytes, and gets their compiled code as {@link #compile(byte[],
     * String, CompileCache, MemoryBudget)} does: before returning, or, with a background compiler
     * and unless the cache holds the code, after returning, while the module's instances run in
     * Chicory's interpreter. A module that fails to compile in the background keeps running in the
     * interpreter; {@link #compiledCode()} says why.
     *
     * @param background compiles the module after this returns; null compiles it first
     * @throws InvalidModuleException when the bytes are not a usable waPC module
     */
    public static WapcModule compile(
            byte[] bytes,
            String digest,
            CompileCache cache,
            MemoryBudget budget,
            BackgroundCompiler background)
            throws InvalidModuleException {
        if (!startsWithMagic(bytes)) {
            throw notWebAssembly();
        }
        ModulePrecheck.check(bytes);
        // A bundled example module's code was compiled when the plugin was built.
        Optional<CompiledModule> bundled = PrecompiledModules.matching(bytes, digest);
        if (bundled.isPresent()) {
            return fromPrecompiled(bundled.get(), digest, budget);
        }
        WasmModule module;
        try {
            module = PARSER.parse(() -> new java.io.ByteArrayInputStream(bytes));
        } catch (RuntimeException | AssertionError e) {
            // Chicory's parser states some of its checks as assertions, which a JVM run with -ea
            // raises for malformed bytes.
            throw new InvalidModuleException(
                    "is not a valid WebAssembly module (%s)".formatted(describe(e)), e);
        }
        Checked checked = check(module);
        // Loading stored code costs little next to generating it, so a hit is taken at once.
        boolean cached = cache != null && cache.holds(module.digest());
        if (background != null && !cached) {
            WapcModule interpreted =
                    new WapcModule(
                            digest,
                            module,
                            null,
                            checked.exports(),
                            checked.memory(),
                            budget,
                            false);
            interpreted.switchWhenCompiled(background.compile(digest, module, cache));
            return interpreted;
        }
        Function<Instance, Machine> machineFactory;
        try {
            machineFactory = machineFactory(module, cache);
        } catch (RuntimeException | AssertionError e) {
            throw new InvalidModuleException(
                    "could not be compiled (%s)".formatted(describe(e)), e);
        }
        return new WapcModule(
                digest, module, machineFactory, checked.exports(), checked.memory(), budget, false);
    }

    /** Generates the module's bytecode, or loads it from the cache. */
    static Function<Instance, Machine> machineFactory(WasmModule module, CompileCache cache) {
        MachineFactoryCompiler.Builder compiler =
                MachineFactoryCompiler.builder(module)
                        .withInterpreterFallback(InterpreterFallback.WARN);
        if (cache != null) {
            compiler.withCache(cache);
        }
        return compiler.compile();
    }

    /**
     * Makes new instances with the compiled code once it is ready. Idle instances, made for the
     * interpreter, are dropped; instances in use move into the compiled code at their next function
     * call (see {@link TieringMachine}) and are dropped when given back (see {@link
     * InstancePool#giveBack}), so the pool holds only instances made for the compiled code.
     */
    private void switchWhenCompiled(CompletableFuture<Function<Instance, Machine>> compiling) {
        compiling.whenComplete(
                (factory, failure) -> {
                    if (failure != null) {
                        Throwable cause =
                                failure instanceof CompletionException && failure.getCause() != null
                                        ? failure.getCause()
                                        : failure;
                        compiledCode.completeExceptionally(
                                new InvalidModuleException(
                                        "could not be compiled (%s)".formatted(describe(cause)),
                                        cause));
                        return;
                    }
                    compiledMachineFactory = factory;
                    dropIdleInstances();
                    compiledCode.complete(null);
                });
    }

    private static Parser standardSectionsOnly() {
        Parser.Builder builder = Parser.builder();
        for (int id = 1; id <= 13; id++) {
            builder.includeSectionId(id);
        }
        return builder.build();
    }

    /**
     * What compiling a module costs, estimated from its size and function count before anything is
     * parsed, so that the cost can be charged first. Measured on Chicory 1.7.5: a module of 50,000
     * small functions (676 KiB) peaks at about 95 MiB of heap while it compiles and keeps about 49
     * MiB of generated classes (metaspace); a 2 MiB module of large functions keeps about 51 MiB of
     * heap.
     *
     * @param compilingHeap heap used while compiling, on top of what the module keeps
     * @param retainedHeap heap the compiled module keeps
     * @param generatedCode native memory its generated classes take (metaspace and JIT code)
     */
    public record CompileCost(long compilingHeap, long retainedHeap, long generatedCode) {}

    /**
     * Estimates {@link CompileCost} from the module's bytes.
     *
     * @throws InvalidModuleException when the bytes are not a WebAssembly module whose structure
     *     can be walked
     */
    public static CompileCost estimate(byte[] bytes) throws InvalidModuleException {
        if (!startsWithMagic(bytes)) {
            throw notWebAssembly();
        }
        long functions = ModulePrecheck.check(bytes);
        long size = bytes.length;
        return new CompileCost(
                25 * size + 2048 * functions,
                25 * size + 512 * functions,
                4 * size + 1024 * functions);
    }

    /** Said without the bytes found: module.file may name any file the sidecar can read. */
    private static InvalidModuleException notWebAssembly() {
        return new InvalidModuleException(
                "is not a valid WebAssembly module: it does not start with the WebAssembly magic"
                        + " bytes \\0asm");
    }

    private static boolean startsWithMagic(byte[] bytes) {
        return bytes.length >= MAGIC.length
                && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The pool of ready instances of this module for the given limits. */
    public InstancePool pool(InstanceLimits limits) {
        return pools.computeIfAbsent(limits, l -> new InstancePool(this, l, MAX_IDLE_PER_POOL));
    }

    /** Drops the idle instances of every pool, giving their memory back to the budget. */
    public void dropIdleInstances() {
        pools.values().forEach(InstancePool::dropIdle);
    }

    /**
     * Called when the module is no longer kept: its idle instances are dropped and instances in use
     * are dropped when they come back.
     */
    public void close() {
        budget.removeReclaimer(dropIdle);
        pools.values().forEach(InstancePool::close);
    }

    MemoryBudget budget() {
        return budget;
    }

    public String digest() {
        return digest;
    }

    /**
     * Whether the module's code was compiled when the plugin was built (a bundled example module),
     * rather than parsed and compiled here.
     */
    public boolean precompiled() {
        return precompiled;
    }

    WasmModule wasm() {
        return module;
    }

    /** What the module's new instances run: its compiled code, or the interpreter until then. */
    Function<Instance, Machine> machineFactory() {
        Function<Instance, Machine> compiled = compiledMachineFactory;
        return compiled != null ? compiled : tiering;
    }

    /** The module's compiled code, null while it runs in the interpreter. */
    private Function<Instance, Machine> compiledMachineFactory() {
        return compiledMachineFactory;
    }

    /**
     * Completes when the module's new instances run compiled code: at once for a module compiled
     * before it was returned, when its background compilation is done otherwise. Completes with an
     * {@link InvalidModuleException} saying why when that compilation failed; the module then keeps
     * running in the interpreter.
     */
    public CompletableFuture<Void> compiledCode() {
        return compiledCode.copy();
    }

    boolean exports(String function) {
        return exports.contains(function);
    }

    /** The memory limits the module declares for its memory 0. */
    MemoryLimits declaredMemory() {
        return declaredMemory;
    }

    /**
     * A bundled example module, compiled when the plugin was built: its module without code bodies
     * gets the same checks as a parsed one, and its code is the build's classes.
     */
    private static WapcModule fromPrecompiled(
            CompiledModule compiled, String digest, MemoryBudget budget)
            throws InvalidModuleException {
        WasmModule module = compiled.wasmModule();
        Checked checked = check(module);
        return new WapcModule(
                digest,
                module,
                compiled.machineFactory(),
                checked.exports(),
                checked.memory(),
                budget,
                true);
    }

    /** What the checks of a parsed module found: its exported functions and its memory 0. */
    private record Checked(Set<String> exports, MemoryLimits memory) {}

    private static Checked check(WasmModule module) throws InvalidModuleException {
        Set<String> exports;
        MemoryLimits memory;
        try {
            exports = exportedFunctions(module);
            checkEntryPoints(module, exports);
            checkImports(module);
            checkTables(module);
            memory =
                    module.memorySection()
                            .filter(s -> s.memoryCount() > 0)
                            .map(s -> s.getMemory(0).limits())
                            .orElse(null);
        } catch (RuntimeException e) {
            // Chicory validates indices when it compiles; a parsed module may still point nowhere.
            throw new InvalidModuleException(
                    "is not a valid WebAssembly module (%s)".formatted(describe(e)), e);
        }
        if (memory == null) {
            throw new InvalidModuleException(
                    "defines no memory; a waPC guest or WASI command must export its linear"
                            + " memory");
        }
        return new Checked(exports, memory);
    }

    private static Set<String> exportedFunctions(WasmModule module) {
        ExportSection section = module.exportSection();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < section.exportCount(); i++) {
            Export export = section.getExport(i);
            if (export.exportType() == ExternalType.FUNCTION) {
                names.add(export.name());
            }
        }
        return Set.copyOf(names);
    }

    /**
     * The kind this module runs as: waPC when it exports {@code __guest_call}, a WASI command when
     * it exports {@code _start} without it; {@code requested} (from {@code plugin.wasm.abi})
     * overrides that when the module has what the kind needs.
     *
     * @param requested the kind the template names, or null to detect it
     * @throws InvalidModuleException when the module lacks the entry point of the requested kind
     */
    public ModuleKind kind(ModuleKind requested) throws InvalidModuleException {
        if (requested == ModuleKind.WAPC && !exports("__guest_call")) {
            throw new InvalidModuleException(
                    ("does not export __guest_call, so it cannot run as plugin.wasm.abi: wapc; it"
                                    + " exports %s. Drop abi to run it as a WASI command, or build"
                                    + " it with a waPC guest SDK")
                            .formatted(describeExports()));
        }
        if (requested == ModuleKind.WASI && !exports("_start")) {
            throw new InvalidModuleException(
                    ("does not export _start, so it cannot run as plugin.wasm.abi: wasi; it"
                                    + " exports %s. Build it as a WASI command (a program with a"
                                    + " main function)")
                            .formatted(describeExports()));
        }
        if (requested != null) {
            return requested;
        }
        return exports("__guest_call") ? ModuleKind.WAPC : ModuleKind.WASI;
    }

    private String describeExports() {
        return exports.isEmpty() ? "no functions" : String.join(", ", new TreeSet<>(exports));
    }

    /**
     * A module must be one of the two kinds: a waPC guest exporting {@code __guest_call} with
     * waPC's signature, or a WASI command exporting {@code _start}.
     */
    private static void checkEntryPoints(WasmModule module, Set<String> exports)
            throws InvalidModuleException {
        ExportSection section = module.exportSection();
        int imported = module.importSection().count(ExternalType.FUNCTION);
        for (int i = 0; i < section.exportCount(); i++) {
            Export export = section.getExport(i);
            if (export.exportType() != ExternalType.FUNCTION
                    || !export.name().equals("__guest_call")) {
                continue;
            }
            FunctionType type =
                    export.index() < imported
                            ? null
                            : module.functionSection()
                                    .getFunctionType(
                                            export.index() - imported, module.typeSection());
            if (!GUEST_CALL_TYPE.equals(type)) {
                throw new InvalidModuleException(
                        "exports __guest_call with the wrong signature; waPC needs (i32, i32) ->"
                                + " i32");
            }
            return;
        }
        if (exports.contains("_start")) {
            return;
        }
        throw new InvalidModuleException(
                ("does not export __guest_call (a waPC guest) or _start (a WASI command); it"
                                + " exports %s. Build it with a waPC guest SDK, or as a WASI"
                                + " command with any WASI toolchain (see docs/module-authors.md)")
                        .formatted(
                                exports.isEmpty()
                                        ? "no functions"
                                        : String.join(", ", new TreeSet<>(exports))));
    }

    /** Tables are charged per entry; a module that starts above the cap can never run. */
    private static void checkTables(WasmModule module) throws InvalidModuleException {
        long entries = 0;
        for (int i = 0; i < module.tableSection().tableCount(); i++) {
            entries += module.tableSection().getTable(i).limits().min();
        }
        if (entries > InstanceFootprint.MAX_TABLE_ENTRIES) {
            throw new InvalidModuleException(
                    ("declares tables of %,d entries, over this host's limit of %,d entries per"
                                    + " instance")
                            .formatted(entries, InstanceFootprint.MAX_TABLE_ENTRIES));
        }
    }

    private static void checkImports(WasmModule module) throws InvalidModuleException {
        List<String> missing =
                module.importSection().stream()
                        .filter(imp -> !HostImports.provides(imp))
                        .map(imp -> "%s.%s (%s)".formatted(imp.module(), imp.name(), kind(imp)))
                        .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new InvalidModuleException(
                    ("imports %s, which this host does not provide; a guest may"
                                    + " import only the waPC functions (module \"wapc\"), WASI"
                                    + " preview1 (\"wasi_snapshot_preview1\"),"
                                    + " wasi_experimental_http and env.abort")
                            .formatted(String.join(", ", missing)));
        }
    }

    private static String kind(Import imp) {
        return imp.importType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
