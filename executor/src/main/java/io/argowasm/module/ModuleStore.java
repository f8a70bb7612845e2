package io.argowasm.module;

import io.argowasm.budget.MemoryBudget;
import io.argowasm.budget.OutOfBudgetException;
import io.argowasm.budget.Sizes;
import io.argowasm.metrics.PluginMetrics;
import io.argowasm.metrics.PluginMetrics.ModuleSource;
import io.argowasm.metrics.PluginMetrics.Stage;
import io.argowasm.module.oci.OciModules;
import io.argowasm.module.oci.RegistryLogins;
import io.argowasm.wapc.BackgroundCompiler;
import io.argowasm.wapc.CompileCache;
import io.argowasm.wapc.FirstCalls;
import io.argowasm.wapc.InvalidModuleException;
import io.argowasm.wapc.WapcModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds, verifies and compiles modules, each digest once per process. A module pinned by sha256
 * that is already known is never fetched again; concurrent first uses of a module share one
 * compilation. A module file is read again whenever it changed, so a pin is always checked against
 * the bytes the file holds.
 *
 * <p>Compilation runs on threads of its own and is charged to the memory budget (while it runs and
 * for as long as the compiled module is kept): a step that stops waiting, for its timeout, frees
 * its slot at once, and the compilation it started still serves the next step that needs it. With
 * {@link FirstCalls#interpreted} a step waits only for the parse and the checks: the module's first
 * calls run in Chicory's interpreter while one background thread generates its bytecode, and a
 * module that cannot be compiled keeps running in the interpreter, with a warning in the log.
 */
public final class ModuleStore {

    private static final Logger log = LoggerFactory.getLogger(ModuleStore.class);

    /** The default cap on generated code of the compiled modules kept. */
    public static final long DEFAULT_MAX_GENERATED_CODE = 64L << 20;

    /** How a new module's first calls run when the caller does not say (--first-calls). */
    public static final FirstCalls DEFAULT_FIRST_CALLS = FirstCalls.compiled;

    private static final int COMPILER_THREADS = 2;

    private final ModuleFetcher fetcher;
    private final MemoryBudget budget;
    private final ExecutorService compilers;
    private final Map<String, Long> charged = new ConcurrentHashMap<>();
    private final long maxGeneratedCode;
    private final Map<String, Long> generatedCode = new ConcurrentHashMap<>();
    private final CompileCache compileCache;
    private final BackgroundCompiler background;
    private final ModuleSizeCap cap;
    private final int maxModules;
    private final Map<String, CompletableFuture<WapcModule>> compiled;
    private final Map<String, Supplier<byte[]>> known = new ConcurrentHashMap<>();
    private final Map<Path, FileStamp> files = new ConcurrentHashMap<>();
    private volatile PluginMetrics metrics = PluginMetrics.unregistered();

    private record FileStamp(long size, long modified, Object fileKey, String digest) {}

    /**
     * @param maxBytes the largest module accepted, from a URL or a file
     * @param maxModules how many compiled modules are kept; the least recently used go first
     */
    public ModuleStore(ModuleFetcher fetcher, long maxBytes, int maxModules) {
        this(fetcher, maxBytes, maxModules, null);
    }

    /**
     * @param maxBytes the largest module accepted, from a URL or a file
     * @param maxModules how many compiled modules are kept; the least recently used go first
     * @param compileCache where compiled code outlives the process; null for none
     */
    public ModuleStore(
            ModuleFetcher fetcher, long maxBytes, int maxModules, CompileCache compileCache) {
        this(
                fetcher,
                maxBytes,
                maxModules,
                compileCache,
                MemoryBudget.unlimited(),
                DEFAULT_MAX_GENERATED_CODE);
    }

    /**
     * @param maxBytes the largest module accepted, from a URL or a file
     * @param maxModules how many compiled modules are kept; the least recently used go first
     * @param compileCache where compiled code outlives the process; null for none
     * @param budget what compilations, compiled modules and their instances are charged to
     * @param maxGeneratedCode the most native memory the generated classes of the kept modules may
     *     take (estimated); the least recently used modules go first to stay under it
     */
    public ModuleStore(
            ModuleFetcher fetcher,
            long maxBytes,
            int maxModules,
            CompileCache compileCache,
            MemoryBudget budget,
            long maxGeneratedCode) {
        this(
                fetcher,
                maxBytes,
                maxModules,
                compileCache,
                budget,
                maxGeneratedCode,
                DEFAULT_FIRST_CALLS);
    }

    /**
     * @param maxBytes the largest module accepted, from a URL or a file
     * @param maxModules how many compiled modules are kept; the least recently used go first
     * @param compileCache where compiled code outlives the process; null for none
     * @param budget what compilations, compiled modules and their instances are charged to
     * @param maxGeneratedCode the most native memory the generated classes of the kept modules may
     *     take (estimated); the least recently used modules go first to stay under it
     * @param firstCalls whether a new module's first calls run in the interpreter while it
     *     compiles, or wait for its compilation
     */
    public ModuleStore(
            ModuleFetcher fetcher,
            long maxBytes,
            int maxModules,
            CompileCache compileCache,
            MemoryBudget budget,
            long maxGeneratedCode,
            FirstCalls firstCalls) {
        this.fetcher = fetcher;
        this.background = firstCalls == FirstCalls.interpreted ? new BackgroundCompiler() : null;
        this.budget = budget;
        this.maxGeneratedCode = maxGeneratedCode;
        AtomicInteger threads = new AtomicInteger();
        this.compilers =
                Executors.newFixedThreadPool(
                        COMPILER_THREADS,
                        r -> {
                            Thread t =
                                    new Thread(r, "module-compiler-" + threads.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        this.compileCache = compileCache;
        this.cap = new ModuleSizeCap(maxBytes);
        this.maxModules = maxModules;
        this.compiled =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(
                            Map.Entry<String, CompletableFuture<WapcModule>> eldest) {
                        if (size() <= ModuleStore.this.maxModules) {
                            return false;
                        }
                        dropped(eldest.getKey(), eldest.getValue());
                        return true;
                    }
                };
        budget.addLastResortReclaimer(this::evictUnused);
    }

    /**
     * Records fetches, cache hits and compilations in the given metrics, and publishes how many
     * compiled modules are held.
     */
    public void recordTo(PluginMetrics metrics) {
        this.metrics = metrics;
        metrics.gauge(
                "wasm_executor_modules_loaded",
                "compiled modules held (see %s)".formatted(ModuleFlags.MAX_MODULES),
                () -> {
                    synchronized (compiled) {
                        return compiled.size();
                    }
                });
    }

    /**
     * Sets up the client module fetches use on a thread of its own, so the first fetch does not
     * wait for TLS to be set up; a sidecar calls it once it is ready, while no step has come yet.
     */
    public void prepareFetchesInBackground() {
        Thread setup = new Thread(fetcher::prepare, "module-fetch-setup");
        setup.setDaemon(true);
        setup.start();
    }

    /** Drops the least recently used compiled modules until about {@code wanted} bytes are free. */
    private void evictUnused(long wanted) {
        long freed = 0;
        synchronized (compiled) {
            var entries = compiled.entrySet().iterator();
            while (freed < wanted && entries.hasNext()) {
                var entry = entries.next();
                if (entry.getValue().isDone()) {
                    freed += dropped(entry.getKey(), entry.getValue());
                    entries.remove();
                }
            }
        }
    }

    /** Gives a compiled module's memory back; returns the bytes released. */
    private long dropped(String digest, CompletableFuture<WapcModule> module) {
        // A compilation still running closes its module when it is done.
        module.thenAccept(WapcModule::close);
        generatedCode.remove(digest);
        Long bytes = charged.remove(digest);
        if (bytes == null) {
            return 0;
        }
        budget.release(bytes);
        return bytes;
    }

    /**
     * Makes module bytes available by digest, so a reference pinned to that digest is served
     * without a fetch. The bytes are read only when first needed.
     */
    public void offer(String sha256, Supplier<byte[]> bytes) {
        known.put(ModuleRef.normaliseDigest(sha256), bytes);
    }

    /** Returns the compiled module a reference names, fetching and compiling it if needed. */
    public WapcModule load(ModuleRef ref) throws ModuleLoadException {
        return load(ref, RegistryLogins.NONE);
    }

    /**
     * Returns the compiled module a reference names, fetching and compiling it if needed.
     *
     * @param logins the step's registry logins, for a {@code module.oci} that asks for one
     */
    public WapcModule load(ModuleRef ref, RegistryLogins logins) throws ModuleLoadException {
        if (ref.artifact() != null) {
            throw new ModuleLoadException(
                    "module %s is read by the step from its input artifacts, not by the store"
                            .formatted(ref.describe()));
        }
        if (ref.file() != null) {
            return loadFile(ref);
        }
        if (ref.oci() != null) {
            return loadOci(ref, logins);
        }
        if (ref.sha256() != null) {
            Optional<WapcModule> ready = ready(ref.sha256());
            if (ready.isPresent()) {
                metrics.moduleCache(true);
                return ready.get();
            }
            // Concurrent first uses of a pinned module share one fetch and one compilation.
            return compile(ref, ref.sha256(), () -> pinnedBytes(ref));
        }
        if (ref.url() != null) {
            byte[] bytes = fetch(ref);
            return compile(ref, verified(ref, bytes), () -> bytes);
        }
        return loadFile(ref);
    }

    /**
     * A module from a registry: a pinned module already known needs no registry at all; otherwise
     * the reference is resolved to its manifest and layer digests (tags once per process), and the
     * layer, kept by its digest, is pulled only when not compiled yet. Messages name the resolved
     * manifest digest.
     */
    private WapcModule loadOci(ModuleRef ref, RegistryLogins logins) throws ModuleLoadException {
        if (ref.sha256() != null) {
            Optional<WapcModule> ready = ready(ref.sha256());
            if (ready.isPresent()) {
                metrics.moduleCache(true);
                return ready.get();
            }
        }
        OciModules registries = fetcher.registries();
        OciModules.Located located;
        try {
            located = registries.locate(ref.oci(), logins);
        } catch (ModuleLoadException e) {
            metrics.moduleFetched(ModuleSource.OCI, false);
            throw e;
        }
        ModuleRef resolved = ModuleRef.ofOci(located.reference(), ref.sha256());
        String digest = located.layerSha256();
        if (ref.sha256() != null && !ref.sha256().equals(digest)) {
            throw new ModuleLoadException(
                    ("module %s does not match its pinned sha256: the pin is %s, the module layer"
                                    + " of manifest %s is %s; the tag moved or the pin is wrong")
                            .formatted(
                                    resolved.describe(),
                                    ref.sha256(),
                                    located.reference().digest(),
                                    digest));
        }
        Optional<WapcModule> ready = ready(digest);
        if (ready.isPresent()) {
            metrics.moduleCache(true);
            return ready.get();
        }
        return compile(resolved, digest, () -> pulled(registries, located, logins));
    }

    /** The module layer from its registry, counted and timed as a fetch. */
    private byte[] pulled(OciModules registries, OciModules.Located located, RegistryLogins logins)
            throws ModuleLoadException {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            byte[] bytes = registries.fetch(located, logins);
            ok = true;
            return bytes;
        } finally {
            metrics.moduleFetched(ModuleSource.OCI, ok);
            metrics.stage(Stage.FETCH, System.nanoTime() - start);
        }
    }

    /** The largest module accepted (--max-module-size), for callers that read bytes themselves. */
    public long maxModuleBytes() {
        return cap.maxBytes();
    }

    /** Module bytes the caller reads itself, such as an input artifact's. */
    @FunctionalInterface
    public interface ProvidedBytes {
        byte[] read() throws ModuleLoadException;
    }

    /**
     * A module whose bytes the caller provides ({@code module.artifact}): a pinned module already
     * compiled is served without reading them; otherwise they are read, capped, checked against the
     * pin and compiled, kept by digest like any other.
     */
    public WapcModule load(ModuleRef ref, ProvidedBytes bytes) throws ModuleLoadException {
        if (ref.sha256() != null) {
            Optional<WapcModule> ready = ready(ref.sha256());
            if (ready.isPresent()) {
                metrics.moduleCache(true);
                return ready.get();
            }
        }
        byte[] read = bytes.read();
        cap.check(read.length, "module %s".formatted(ref.describe()));
        return compile(ref, verified(ref, read), () -> read);
    }

    private byte[] pinnedBytes(ModuleRef ref) throws ModuleLoadException {
        Supplier<byte[]> offered = known.get(ref.sha256());
        if (offered != null) {
            metrics.moduleFetched(ModuleSource.BUNDLED, true);
            return offered.get();
        }
        byte[] bytes = fetch(ref);
        verified(ref, bytes);
        return bytes;
    }

    private byte[] fetch(ModuleRef ref) throws ModuleLoadException {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            byte[] bytes = fetcher.fetch(ref.url());
            ok = true;
            return bytes;
        } finally {
            metrics.moduleFetched(ModuleSource.URL, ok);
            metrics.stage(Stage.FETCH, System.nanoTime() - start);
        }
    }

    private WapcModule loadFile(ModuleRef ref) throws ModuleLoadException {
        FileRead read;
        try {
            read = readFile(ref);
        } catch (ModuleLoadException e) {
            metrics.moduleFetched(ModuleSource.FILE, false);
            throw e;
        }
        if (read.module() != null) {
            metrics.moduleCache(true);
            return read.module();
        }
        metrics.moduleFetched(ModuleSource.FILE, true);
        return compile(ref, read.digest(), read::bytes);
    }

    /** A module file's bytes and digest, or the compiled module when the file did not change. */
    private record FileRead(byte[] bytes, String digest, WapcModule module) {}

    private FileRead readFile(ModuleRef ref) throws ModuleLoadException {
        Path path = ref.file();
        fetcher.policy().checkFile(path);
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                throw new ModuleLoadException(
                        "module file %s is not a regular file".formatted(path));
            }
            cap.check(attrs.size(), "module file %s".formatted(path));
            FileStamp stamp = files.get(path);
            long modified = attrs.lastModifiedTime().toMillis();
            if (stamp != null
                    && stamp.size() == attrs.size()
                    && stamp.modified() == modified
                    && java.util.Objects.equals(stamp.fileKey(), attrs.fileKey())) {
                Optional<WapcModule> ready = ready(stamp.digest());
                if (ready.isPresent()
                        && (ref.sha256() == null || ref.sha256().equals(stamp.digest()))) {
                    return new FileRead(null, stamp.digest(), ready.get());
                }
            }
            byte[] bytes = readFileCapped(path);
            String digest = verified(ref, bytes);
            files.put(path, new FileStamp(bytes.length, modified, attrs.fileKey(), digest));
            return new FileRead(bytes, digest, null);
        } catch (NoSuchFileException e) {
            throw new ModuleLoadException(
                    "module file %s does not exist on the sidecar's file system".formatted(path),
                    e);
        } catch (IOException e) {
            throw new ModuleLoadException(
                    "module file %s could not be read: %s".formatted(path, e), e);
        }
    }

    /** Files such as those under /proc report a size of 0 and can be far larger than they claim. */
    private byte[] readFileCapped(Path path) throws IOException, ModuleLoadException {
        try (InputStream in = Files.newInputStream(path)) {
            return cap.read(in, "module file %s".formatted(path));
        }
    }

    private static String verified(ModuleRef ref, byte[] bytes) throws ModuleLoadException {
        String digest = Digests.sha256(bytes);
        if (ref.sha256() != null && !ref.sha256().equals(digest)) {
            throw ModuleLoadException.invalid(
                    ("module %s does not match its pinned sha256: expected %s, got"
                                    + " %s; the module changed or the pin is wrong")
                            .formatted(ref.describe(), ref.sha256(), digest),
                    null);
        }
        return digest;
    }

    /** Drops a failed attempt so the next use tries again, and wakes those waiting on it. */
    private void forget(String digest, CompletableFuture<WapcModule> attempt) {
        synchronized (compiled) {
            compiled.remove(digest, attempt);
        }
    }

    private Optional<WapcModule> ready(String digest) {
        CompletableFuture<WapcModule> future;
        synchronized (compiled) {
            future = compiled.get(digest);
        }
        if (future != null && future.isDone() && !future.isCompletedExceptionally()) {
            return Optional.of(future.join());
        }
        return Optional.empty();
    }

    /** Where the bytes of a module come from, read only by the caller that compiles it. */
    @FunctionalInterface
    private interface Bytes {
        byte[] get() throws ModuleLoadException;
    }

    private WapcModule compile(ModuleRef ref, String digest, Bytes source)
            throws ModuleLoadException {
        CompletableFuture<WapcModule> mine = new CompletableFuture<>();
        CompletableFuture<WapcModule> existing;
        synchronized (compiled) {
            existing = compiled.putIfAbsent(digest, mine);
        }
        metrics.moduleCache(existing != null);
        if (existing == null) {
            try {
                byte[] bytes = source.get();
                WapcModule.CompileCost cost = WapcModule.estimate(bytes);
                makeRoomForCode(ref, digest, cost.generatedCode());
                long compiling = cost.compilingHeap();
                long retained = cost.retainedHeap();
                budget.charge(
                        compiling + retained,
                        "compiling module %s (%s)"
                                .formatted(ref.describe(), Sizes.describe(bytes.length)));
                charged.put(digest, retained);
                compilers.execute(() -> compileNow(ref, digest, bytes, compiling, mine));
            } catch (InvalidModuleException e) {
                forget(digest, mine);
                generatedCode.remove(digest);
                mine.completeExceptionally(e);
            } catch (OutOfBudgetException e) {
                generatedCode.remove(digest);
                forget(digest, mine);
                mine.completeExceptionally(new ModuleLoadException(e.getMessage(), e));
            } catch (ModuleLoadException e) {
                forget(digest, mine);
                mine.completeExceptionally(e);
                throw e;
            } catch (RuntimeException e) {
                forget(digest, mine);
                mine.completeExceptionally(e);
            }
            existing = mine;
        }
        try {
            return existing.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ModuleLoadException load) {
                throw load.isInvalidModule()
                        ? ModuleLoadException.invalid(load.getMessage(), load.getCause())
                        : new ModuleLoadException(load.getMessage(), load.getCause());
            }
            String reason =
                    cause.getMessage() == null
                            ? "could not be compiled (%s)".formatted(cause)
                            : cause.getMessage();
            throw ModuleLoadException.invalid(
                    "module %s %s".formatted(ref.describe(), reason), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleLoadException(
                    "loading module %s was interrupted".formatted(ref.describe()), e);
        }
    }

    /**
     * Compiles on a compiler thread (with a background compiler: parses and checks, and leaves the
     * bytecode generation to it). Whatever happens, the future completes and the compilation's
     * memory is given back, so no later step of the digest waits for nothing.
     */
    private void compileNow(
            ModuleRef ref,
            String digest,
            byte[] bytes,
            long compiling,
            CompletableFuture<WapcModule> result) {
        long start = System.nanoTime();
        WapcModule module;
        try {
            module = WapcModule.compile(bytes, digest, compileCache, budget, background);
        } catch (Throwable e) {
            metrics.compiled(false, System.nanoTime() - start);
            forget(digest, result);
            release(digest);
            generatedCode.remove(digest);
            budget.release(compiling);
            result.completeExceptionally(e);
            return;
        }
        if (background == null || module.compiledCode().isDone()) {
            compiled(ref, digest, bytes.length, compiling, start, null, false);
        } else {
            log.info(
                    "parsed module {} (sha256 {}, {} bytes) in {} ms; its first calls run in the"
                            + " interpreter while it compiles in the background",
                    ref.describe(),
                    digest,
                    bytes.length,
                    (System.nanoTime() - start) / 1_000_000);
            module.compiledCode()
                    .whenComplete(
                            (done, failure) ->
                                    compiled(
                                            ref,
                                            digest,
                                            bytes.length,
                                            compiling,
                                            start,
                                            failure,
                                            true));
        }
        result.complete(module);
    }

    /**
     * Gives a compilation's working memory back once its code is ready, and says how it went. A
     * module that failed to compile in the background generated no code to count.
     */
    private void compiled(
            ModuleRef ref,
            String digest,
            int size,
            long compiling,
            long start,
            Throwable failure,
            boolean inBackground) {
        budget.release(compiling);
        long nanos = System.nanoTime() - start;
        metrics.compiled(failure == null, nanos);
        if (failure != null) {
            generatedCode.remove(digest);
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
            log.warn(
                    "module {} (sha256 {}) {}; its steps keep running in Chicory's interpreter,"
                            + " which is slower. {} compiled fails them with this message instead",
                    ref.describe(),
                    digest,
                    cause.getMessage(),
                    ModuleFlags.FIRST_CALLS);
            return;
        }
        log.info(
                "compiled module {} (sha256 {}, {} bytes) in {} ms{}",
                ref.describe(),
                digest,
                size,
                nanos / 1_000_000,
                inBackground ? " in the background; new instances run compiled code" : "");
    }

    /**
     * Keeps the generated code of the kept modules under the cap, dropping the least recently used
     * finished ones to make room for a new module's, and counts the new module's in.
     */
    private void makeRoomForCode(ModuleRef ref, String digest, long code)
            throws ModuleLoadException, OutOfBudgetException {
        if (code > maxGeneratedCode) {
            throw new ModuleLoadException(
                    ("module %s would take about %s of generated code, more than the sidecar's"
                                    + " cap of %s (%s); split the module or raise the cap with"
                                    + " the container's memory")
                            .formatted(
                                    ref.describe(),
                                    Sizes.describe(code),
                                    Sizes.describe(maxGeneratedCode),
                                    ModuleFlags.MAX_COMPILED_CODE));
        }
        synchronized (compiled) {
            var entries = compiled.entrySet().iterator();
            while (heldCode() + code > maxGeneratedCode && entries.hasNext()) {
                var entry = entries.next();
                if (entry.getValue().isDone() && !entry.getKey().equals(digest)) {
                    dropped(entry.getKey(), entry.getValue());
                    entries.remove();
                }
            }
            if (heldCode() + code > maxGeneratedCode) {
                throw OutOfBudgetException.withMessage(
                        ("module %s needs about %s of generated code, which the modules being"
                                        + " compiled now leave no room for under %s (%s)")
                                .formatted(
                                        ref.describe(),
                                        Sizes.describe(code),
                                        ModuleFlags.MAX_COMPILED_CODE,
                                        Sizes.describe(maxGeneratedCode)),
                        code,
                        maxGeneratedCode,
                        true);
            }
            generatedCode.put(digest, code);
        }
    }

    private long heldCode() {
        return generatedCode.values().stream().mapToLong(Long::longValue).sum();
    }

    private void release(String digest) {
        Long bytes = charged.remove(digest);
        if (bytes != null) {
            budget.release(bytes);
        }
    }
}
