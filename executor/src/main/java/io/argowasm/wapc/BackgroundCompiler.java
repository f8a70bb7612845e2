package io.argowasm.wapc;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Compiles modules whose first calls run in the interpreter ({@link FirstCalls#interpreted}), one
 * at a time on a thread of its own, so compilations never take more than one core from the steps
 * being served. A digest is compiled once however many modules of it ask at the same time (a module
 * dropped and loaded again while its compilation runs joins that compilation).
 */
public final class BackgroundCompiler {

    private final Executor executor;
    private final Map<String, CompletableFuture<Function<Instance, Machine>>> running =
            new HashMap<>();

    /** A compiler with one daemon thread of its own. */
    public BackgroundCompiler() {
        this(oneDaemonThread());
    }

    /**
     * A compiler running its compilations on {@code executor}: for measurements and tests that hold
     * them back to time or check the interpreter alone.
     */
    public BackgroundCompiler(Executor executor) {
        this.executor = executor;
    }

    private static Executor oneDaemonThread() {
        AtomicInteger threads = new AtomicInteger();
        return Executors.newSingleThreadExecutor(
                r -> {
                    Thread t =
                            new Thread(
                                    r, "module-background-compiler-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** The compiled code of a parsed module, compiled once per digest. */
    CompletableFuture<Function<Instance, Machine>> compile(
            String digest, WasmModule module, CompileCache cache) {
        synchronized (running) {
            CompletableFuture<Function<Instance, Machine>> compiling = running.get(digest);
            if (compiling != null) {
                return compiling;
            }
            CompletableFuture<Function<Instance, Machine>> mine = new CompletableFuture<>();
            running.put(digest, mine);
            executor.execute(() -> compileNow(digest, module, cache, mine));
            return mine;
        }
    }

    private void compileNow(
            String digest,
            WasmModule module,
            CompileCache cache,
            CompletableFuture<Function<Instance, Machine>> result) {
        Function<Instance, Machine> factory;
        try {
            factory = WapcModule.machineFactory(module, cache);
        } catch (Throwable e) {
            finished(digest);
            result.completeExceptionally(e);
            return;
        }
        finished(digest);
        result.complete(factory);
    }

    private void finished(String digest) {
        synchronized (running) {
            running.remove(digest);
        }
    }
}
