package io.argowasm.wapc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.InterpreterMachine;
import io.argowasm.TestModules;
import io.argowasm.budget.MemoryBudget;
import io.argowasm.module.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module's first calls in Chicory's interpreter while it compiles in the background ({@link
 * FirstCalls#interpreted}): the same answers and failures as compiled code, timeouts that stop
 * every loop, one compilation per digest, and a pool that moves to compiled instances.
 */
class FirstCallsTest {

    private static final long MiB = 1L << 20;
    private static final InstanceLimits LIMITS = InstanceLimits.ofMemory(16 * MiB);

    /** Compilations held back until the test runs them. */
    private static final class HeldCompilations implements java.util.concurrent.Executor {
        private final List<Runnable> held = new ArrayList<>();

        @Override
        public synchronized void execute(Runnable compilation) {
            held.add(compilation);
        }

        synchronized int count() {
            return held.size();
        }

        void runAll() {
            List<Runnable> now;
            synchronized (this) {
                now = List.copyOf(held);
                held.clear();
            }
            now.forEach(Runnable::run);
        }
    }

    private static byte[] test(String name) {
        return TestModules.bytes(TestModules.test(name));
    }

    /** What a call ended with: the response, or the failure's kind and message. */
    private static String outcome(WapcModule module, String operation, String payload) {
        return outcome(module, LIMITS, operation, payload);
    }

    private static String outcome(
            WapcModule module, InstanceLimits limits, String operation, String payload) {
        try {
            WapcInstance instance = WapcInstance.create(module, limits, GuestOutput.keeping(10));
            try {
                return new String(
                        instance.call(
                                operation,
                                payload.getBytes(StandardCharsets.UTF_8),
                                HostBindings.NONE,
                                GuestOutput.keeping(10)),
                        StandardCharsets.UTF_8);
            } finally {
                instance.close();
            }
        } catch (GuestCallException e) {
            return e.kind() + ": " + e.getMessage();
        }
    }

    /** The outcome of a call that never returns by itself, stopped as a step's timeout does. */
    private static String interrupted(WapcModule module, String operation) throws Exception {
        WapcInstance instance = WapcInstance.create(module, LIMITS, GuestOutput.keeping(10));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<String> call =
                    thread.submit(
                            () -> {
                                try {
                                    instance.call(
                                            operation,
                                            new byte[0],
                                            HostBindings.NONE,
                                            GuestOutput.keeping(10));
                                    return "returned";
                                } catch (GuestCallException e) {
                                    return e.kind() + ": " + e.getMessage();
                                }
                            });
            Thread.sleep(100);
            thread.shutdownNow();
            // A generous bound: the call stops within moments of its interrupt, or never.
            return call.get(30, TimeUnit.SECONDS);
        } finally {
            thread.shutdownNow();
            instance.close();
        }
    }

    private static Map<String, String> outcomes(Machines machines) throws Exception {
        Map<String, String> outcomes = new LinkedHashMap<>();
        WapcModule echo = machines.module(test("echo"));
        outcomes.put("echo", outcome(echo, "anything", "{\"a\":1}"));
        WapcModule greet = machines.module(TestModules.bytes(TestModules.example("greet/greet")));
        outcomes.put(
                "greet",
                outcome(
                        greet,
                        "greet",
                        "{\"parameters\":{\"text\":\"hi\"},\"options\":{\"style\":\"loud\"}}"));
        outcomes.put("greet, not JSON", outcome(greet, "greet", "not json"));
        WapcModule conformance = machines.module(test("conformance"));
        for (String operation :
                List.of("echo", "fail", "fail-silent", "no-response", "trap", "recurse", "grow")) {
            outcomes.put("conformance " + operation, outcome(conformance, operation, "x"));
        }
        outcomes.put("conformance loop", interrupted(conformance, "loop"));
        WapcModule spin = machines.module(test("interrupt/spin"));
        // Not "tail": Chicory's compiled code makes a tail call a Java call, so endless tail
        // calls exhaust its stack, where the interpreter runs them in constant stack until the
        // timeout (see aTimeoutStopsEveryLoopShapeInTheInterpreter); both fail the step.
        for (String operation : List.of("br-if", "br-table")) {
            outcomes.put("spin " + operation, interrupted(spin, operation));
        }
        MemoryBudget budget = MemoryBudget.of(24 * MiB);
        outcomes.put(
                "response over the memory budget",
                outcome(
                        machines.module(test("limits/limits"), budget),
                        new InstanceLimits(16 * MiB, 16 << 20, 1 << 20),
                        "respond-big",
                        ""));
        assertThat(budget.used()).as("everything given back").isZero();
        WasiCommand.Exit exit =
                WasiCommand.run(
                        machines.module(test("wasi-probe")),
                        LIMITS,
                        new WasiProcess(
                                List.of("wasi-probe", "stdio"),
                                Map.of("GREETING", "hello"),
                                "payload".getBytes(StandardCharsets.UTF_8),
                                null),
                        HostBindings.NONE,
                        GuestOutput.keeping(10));
        outcomes.put(
                "WASI command",
                exit.exitCode() + " " + new String(exit.stdout(), StandardCharsets.UTF_8));
        return outcomes;
    }

    @Test
    void theInterpreterAnswersAndFailsExactlyAsCompiledCodeDoes() throws Exception {
        Map<String, String> compiled = outcomes(Machines.COMPILED);
        Map<String, String> interpreted = outcomes(Machines.INTERPRETED);

        assertThat(interpreted).containsExactlyEntriesOf(compiled);
        assertThat(compiled.get("greet")).contains("\"greeting\":\"HI\"");
        assertThat(compiled.get("conformance trap")).startsWith("TRAP: the guest trapped");
        assertThat(compiled.get("conformance recurse")).startsWith("STACK_EXHAUSTED");
        assertThat(compiled.get("conformance grow")).startsWith("{\"parameters\":{\"pages\":");
        assertThat(compiled.get("spin br-if")).startsWith("INTERRUPTED");
        assertThat(compiled.get("response over the memory budget"))
                .startsWith("MEMORY_LIMIT")
                .contains("the guest's response of 8.0 MiB");
        assertThat(compiled.get("WASI command")).startsWith("0 ").contains("payload");
    }

    @Test
    void aTimeoutStopsEveryLoopShapeInTheInterpreter() throws Exception {
        WapcModule spin = Machines.INTERPRETED.module(test("interrupt/spin"));
        for (String operation : List.of("br-if", "br-table", "tail")) {
            assertThat(interrupted(spin, operation))
                    .isEqualTo("INTERRUPTED: interrupted during operation '%s'", operation);
        }
    }

    @Test
    void aTimeoutStopsAWasiCommandInTheInterpreter() throws Exception {
        WapcModule probe = Machines.INTERPRETED.module(test("wasi-probe"));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<WasiCommand.Exit> run =
                    thread.submit(
                            () ->
                                    WasiCommand.run(
                                            probe,
                                            LIMITS,
                                            new WasiProcess(
                                                    List.of("wasi-probe", "spin"),
                                                    Map.of(),
                                                    new byte[0],
                                                    null),
                                            HostBindings.NONE,
                                            GuestOutput.keeping(10)));
            Thread.sleep(100);
            thread.shutdownNow();
            assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            GuestCallException.class,
                            e ->
                                    assertThat(e.kind())
                                            .isEqualTo(GuestCallException.Kind.INTERRUPTED));
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void thePoolMovesToCompiledInstancesAndEachStartsFromItsOwnSnapshot() throws Exception {
        HeldCompilations compilations = new HeldCompilations();
        MemoryBudget budget = MemoryBudget.of(256 * MiB);
        byte[] bytes = test("conformance");
        WapcModule module =
                WapcModule.compile(
                        bytes,
                        Digests.sha256(bytes),
                        null,
                        budget,
                        new BackgroundCompiler(compilations));
        InstancePool pool = module.pool(LIMITS);
        WapcInstance inUse = pool.borrow(GuestOutput.keeping(1));
        WapcInstance idle = pool.borrow(GuestOutput.keeping(1));
        assertThat(counter(idle)).isEqualTo("1");
        pool.giveBack(idle);
        assertThat(counter(inUse)).isEqualTo("1");
        assertThat(interpreted(inUse)).isTrue();
        assertThat(module.compiledCode()).isNotDone();

        compilations.runAll();
        module.compiledCode().get(30, TimeUnit.SECONDS);

        assertThat(counter(inUse)).as("an instance in use keeps its state").isEqualTo("2");
        assertThat(interpreted(inUse))
                .as("and runs the compiled code from its next call")
                .isFalse();
        assertThat(madeForTheInterpreter(inUse)).isTrue();
        pool.giveBack(inUse);
        WapcInstance compiled = pool.borrow(GuestOutput.keeping(1));
        assertThat(pool.created()).as("neither interpreted instance is reused").isEqualTo(3);
        assertThat(madeForTheInterpreter(compiled)).isFalse();
        assertThat(counter(compiled)).isEqualTo("1");
        pool.giveBack(compiled);
        WapcInstance again = pool.borrow(GuestOutput.keeping(1));
        assertThat(again).isSameAs(compiled);
        assertThat(counter(again)).as("reset to the compiled instance's snapshot").isEqualTo("1");
        pool.giveBack(again);

        module.close();
        assertThat(budget.used()).as("every instance given back").isZero();
    }

    private static String counter(WapcInstance instance) throws GuestCallException {
        String response =
                new String(
                        instance.call(
                                "counter", new byte[0], HostBindings.NONE, GuestOutput.keeping(1)),
                        StandardCharsets.UTF_8);
        return response.replaceAll(".*\"count\":\"(\\d+)\".*", "$1");
    }

    /** Whether the instance was made for the interpreter and its calls still run there. */
    private static boolean interpreted(WapcInstance instance) {
        return instance.chicory().getMachine() instanceof TieringMachine machine
                && !machine.tieredUp();
    }

    /** Whether the instance was made for the interpreter. */
    private static boolean madeForTheInterpreter(WapcInstance instance) {
        return instance.chicory().getMachine() instanceof InterpreterMachine;
    }

    @Test
    void concurrentFirstUsesOfADigestShareOneCompilation() throws Exception {
        HeldCompilations compilations = new HeldCompilations();
        BackgroundCompiler compiler = new BackgroundCompiler(compilations);
        byte[] bytes = test("conformance");
        String digest = Digests.sha256(bytes);
        int callers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            List<Future<WapcModule>> modules = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                modules.add(
                        threads.submit(
                                () -> {
                                    start.await();
                                    return WapcModule.compile(
                                            bytes,
                                            digest,
                                            null,
                                            MemoryBudget.unlimited(),
                                            compiler);
                                }));
            }
            start.countDown();
            List<CompletableFuture<Void>> compiled = new ArrayList<>();
            for (Future<WapcModule> module : modules) {
                compiled.add(module.get(30, TimeUnit.SECONDS).compiledCode());
            }
            assertThat(compilations.count()).isEqualTo(1);

            compilations.runAll();
            CompletableFuture.allOf(compiled.toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
            WapcModule later =
                    WapcModule.compile(bytes, digest, null, MemoryBudget.unlimited(), compiler);
            assertThat(compilations.count())
                    .as("a digest is compiled again only after its compilation ended")
                    .isEqualTo(1);
            assertThat(later.compiledCode()).isNotDone();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aModuleThatFailsToCompileInTheBackgroundKeepsRunningInTheInterpreter(@TempDir Path dir)
            throws Exception {
        byte[] bytes = test("echo");
        CompileCache cache = CompileCache.open(dir);
        HeldCompilations compilations = new HeldCompilations();
        WapcModule module =
                WapcModule.compile(
                        bytes,
                        Digests.sha256(bytes),
                        cache,
                        MemoryBudget.unlimited(),
                        new BackgroundCompiler(compilations));
        // Stored after the module was parsed, read by its compilation.
        storeUnloadableEntry(cache, bytes);
        compilations.runAll();

        assertThatThrownBy(() -> module.compiledCode().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageStartingWith("could not be compiled (");
        InstancePool pool = module.pool(LIMITS);
        WapcInstance instance = pool.borrow(GuestOutput.keeping(1));
        assertThat(interpreted(instance)).isTrue();
        assertThat(
                        instance.call(
                                "echo",
                                "still served".getBytes(StandardCharsets.UTF_8),
                                HostBindings.NONE,
                                GuestOutput.keeping(1)))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("still served");
        pool.giveBack(instance);
        assertThat(pool.borrow(GuestOutput.keeping(1))).isSameAs(instance);

        assertThatThrownBy(() -> WapcModule.compile(bytes, Digests.sha256(bytes), cache))
                .as("compiled before its first call, the module fails")
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageStartingWith("could not be compiled (");
    }

    @Test
    void compiledCodeTheCacheHoldsIsLoadedBeforeTheFirstCall(@TempDir Path dir) throws Exception {
        byte[] bytes = test("echo");
        CompileCache cache = CompileCache.open(dir);
        WapcModule.compile(bytes, Digests.sha256(bytes), cache);
        HeldCompilations compilations = new HeldCompilations();

        WapcModule module =
                WapcModule.compile(
                        bytes,
                        Digests.sha256(bytes),
                        cache,
                        MemoryBudget.unlimited(),
                        new BackgroundCompiler(compilations));

        assertThat(module.compiledCode()).isDone();
        assertThat(compilations.count()).isZero();
        assertThat(
                        madeForTheInterpreter(
                                WapcInstance.create(module, LIMITS, GuestOutput.keeping(1))))
                .isFalse();
    }

    /**
     * A cache entry whose checksum holds but whose content is no compiled code: Chicory fails to
     * load it, as it would fail to compile a module it cannot handle.
     */
    private static void storeUnloadableEntry(CompileCache cache, byte[] module) throws Exception {
        byte[] junk = "not a jar of classes".getBytes(StandardCharsets.UTF_8);
        Path entry =
                cache.entry(
                        "sha-256:"
                                + Base64.getEncoder()
                                        .encodeToString(
                                                MessageDigest.getInstance("SHA-256")
                                                        .digest(module)));
        byte[] stored = new byte[32 + junk.length];
        System.arraycopy(MessageDigest.getInstance("SHA-256").digest(junk), 0, stored, 0, 32);
        System.arraycopy(junk, 0, stored, 32, junk.length);
        Files.write(entry, stored);
    }
}
