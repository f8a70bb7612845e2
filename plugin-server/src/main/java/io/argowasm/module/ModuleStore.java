package io.argowasm.module;

import io.argowasm.wapc.CompileCache;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds, verifies and compiles modules, each digest once per process. A module pinned by sha256
 * that is already known is never fetched again; concurrent first uses of a module share one
 * compilation.
 */
public final class ModuleStore {

    private static final Logger log = LoggerFactory.getLogger(ModuleStore.class);

    private final ModuleFetcher fetcher;
    private final CompileCache compileCache;
    private final ModuleSizeCap cap;
    private final int maxModules;
    private final Map<String, CompletableFuture<WapcModule>> compiled;
    private final Map<String, Supplier<byte[]>> known = new ConcurrentHashMap<>();
    private final Map<Path, FileStamp> files = new ConcurrentHashMap<>();

    private record FileStamp(long size, long modified, String digest) {}

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
        this.fetcher = fetcher;
        this.compileCache = compileCache;
        this.cap = new ModuleSizeCap(maxBytes);
        this.maxModules = maxModules;
        this.compiled =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(
                            Map.Entry<String, CompletableFuture<WapcModule>> eldest) {
                        return size() > ModuleStore.this.maxModules;
                    }
                };
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
        if (ref.sha256() != null) {
            Optional<WapcModule> ready = ready(ref.sha256());
            if (ready.isPresent()) {
                return ready.get();
            }
            // Concurrent first uses of a pinned module share one fetch and one compilation.
            return compile(ref, ref.sha256(), () -> pinnedBytes(ref));
        }
        if (ref.url() != null) {
            byte[] bytes = fetcher.fetch(ref.url());
            return compile(ref, verified(ref, bytes), () -> bytes);
        }
        return loadFile(ref);
    }

    private byte[] pinnedBytes(ModuleRef ref) throws ModuleLoadException {
        Supplier<byte[]> offered = known.get(ref.sha256());
        if (offered != null) {
            return offered.get();
        }
        if (ref.url() != null) {
            byte[] bytes = fetcher.fetch(ref.url());
            verified(ref, bytes);
            return bytes;
        }
        return readFile(ref).bytes();
    }

    private WapcModule loadFile(ModuleRef ref) throws ModuleLoadException {
        FileRead read = readFile(ref);
        if (read.module() != null) {
            return read.module();
        }
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
                throw new ModuleLoadException("module file " + path + " is not a regular file");
            }
            cap.check(attrs.size(), "module file " + path);
            FileStamp stamp = files.get(path);
            long modified = attrs.lastModifiedTime().toMillis();
            if (stamp != null && stamp.size() == attrs.size() && stamp.modified() == modified) {
                Optional<WapcModule> ready = ready(stamp.digest());
                if (ready.isPresent()
                        && (ref.sha256() == null || ref.sha256().equals(stamp.digest()))) {
                    return new FileRead(null, stamp.digest(), ready.get());
                }
            }
            byte[] bytes = readFileCapped(path);
            String digest = verified(ref, bytes);
            files.put(path, new FileStamp(bytes.length, modified, digest));
            return new FileRead(bytes, digest, null);
        } catch (NoSuchFileException e) {
            throw new ModuleLoadException(
                    "module file " + path + " does not exist on the sidecar's file system", e);
        } catch (IOException e) {
            throw new ModuleLoadException("module file " + path + " could not be read: " + e, e);
        }
    }

    /** Files such as those under /proc report a size of 0 and can be far larger than they claim. */
    private byte[] readFileCapped(Path path) throws IOException, ModuleLoadException {
        try (InputStream in = Files.newInputStream(path)) {
            return cap.read(in, "module file " + path);
        }
    }

    private static String verified(ModuleRef ref, byte[] bytes) throws ModuleLoadException {
        String digest = Digests.sha256(bytes);
        if (ref.sha256() != null && !ref.sha256().equals(digest)) {
            throw new ModuleLoadException(
                    "module "
                            + ref.describe()
                            + " does not match its pinned sha256: expected "
                            + ref.sha256()
                            + ", got "
                            + digest
                            + "; the module changed or the pin is wrong");
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
        if (existing == null) {
            long start = System.nanoTime();
            try {
                byte[] bytes = source.get();
                WapcModule module = WapcModule.compile(bytes, digest, compileCache);
                log.info(
                        "compiled module {} (sha256 {}, {} bytes) in {} ms",
                        ref.describe(),
                        digest,
                        bytes.length,
                        (System.nanoTime() - start) / 1_000_000);
                mine.complete(module);
            } catch (ModuleLoadException e) {
                forget(digest, mine);
                mine.completeExceptionally(e);
                throw e;
            } catch (InvalidModuleException | RuntimeException e) {
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
                throw new ModuleLoadException(load.getMessage(), load);
            }
            String reason =
                    cause.getMessage() == null
                            ? "could not be compiled (" + cause + ")"
                            : cause.getMessage();
            throw new ModuleLoadException("module " + ref.describe() + " " + reason, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleLoadException(
                    "loading module " + ref.describe() + " was interrupted", e);
        }
    }
}
