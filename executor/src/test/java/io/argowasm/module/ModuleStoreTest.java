package io.argowasm.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.ModuleHttpServer;
import io.argowasm.TestModules;
import io.argowasm.wapc.FirstCalls;
import io.argowasm.wapc.WapcModule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleStoreTest {

    private final ModuleHttpServer http = new ModuleHttpServer();
    private final byte[] echo = TestModules.bytes(TestModules.test("echo"));
    private final String echoDigest = Digests.sha256(echo);

    private static ModuleStore store() {
        return new ModuleStore(new ModuleFetcher(1L << 20, Duration.ofSeconds(5)), 1L << 20, 4);
    }

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void concurrentFirstUsesOfAPinnedModuleShareOneFetchAndOneCompilation() throws Exception {
        URI url = http.serve("/echo.wasm", echo);
        ModuleStore store = store();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<WapcModule>> loads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            loads.add(pool.submit(() -> store.load(ModuleRef.ofUrl(url, echoDigest))));
        }
        WapcModule first = loads.get(0).get();
        for (Future<WapcModule> load : loads) {
            assertThat(load.get()).isSameAs(first);
        }
        pool.shutdown();
        assertThat(http.hits("/echo.wasm")).isEqualTo(1);
        store.load(ModuleRef.ofUrl(url, echoDigest));
        int afterWarm = http.hits("/echo.wasm");
        store.load(ModuleRef.ofUrl(url, echoDigest));
        assertThat(http.hits("/echo.wasm"))
                .as("a known pinned module is never fetched again")
                .isEqualTo(afterWarm);
    }

    @Test
    void anUnpinnedUrlIsFetchedEachTimeButCompiledOnce() throws Exception {
        URI url = http.serve("/unpinned.wasm", echo);
        ModuleStore store = store();
        WapcModule a = store.load(ModuleRef.ofUrl(url, null));
        WapcModule b = store.load(ModuleRef.ofUrl(url, null));
        assertThat(http.hits("/unpinned.wasm")).isEqualTo(2);
        assertThat(a).isSameAs(b);
    }

    @Test
    void offeredBytesServeAPinnedUrlWithoutAnyFetch() throws Exception {
        ModuleStore store = store();
        store.offer(echoDigest, () -> echo);
        WapcModule module = store.load(ModuleRef.ofUrl(http.url("/never-served.wasm"), echoDigest));
        assertThat(module.digest()).isEqualTo(echoDigest);
        assertThat(http.hits("/never-served.wasm")).isZero();
    }

    @Test
    void aFileModuleIsReadAgainWhenItChanges(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.wasm");
        Files.write(file, echo);
        ModuleStore store = store();
        assertThat(store.load(ModuleRef.ofFile(file, null)).digest()).isEqualTo(echoDigest);
        byte[] other = TestModules.bytes(TestModules.test("start-init-order"));
        Files.write(file, other);
        Files.setLastModifiedTime(
                file,
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(store.load(ModuleRef.ofFile(file, null)).digest())
                .isEqualTo(Digests.sha256(other));
    }

    @Test
    void aPinnedFileIsCheckedAgainstItsOwnBytesNotAModuleOfferedUnderThatDigest(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("m.wasm");
        byte[] other = TestModules.bytes(TestModules.test("start-init-order"));
        Files.write(file, other);
        ModuleStore store = store();
        store.offer(echoDigest, () -> echo);
        assertThatThrownBy(() -> store.load(ModuleRef.ofFile(file, echoDigest)))
                .isInstanceOf(ModuleLoadException.class)
                .hasMessageContaining("does not match its pinned sha256");
    }

    @Test
    void aRebuiltFileWithAnOldPinIsRefusedInAWarmStore(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.wasm");
        Files.write(file, echo);
        ModuleStore store = store();
        assertThat(store.load(ModuleRef.ofFile(file, echoDigest)).digest()).isEqualTo(echoDigest);
        Files.write(file, TestModules.bytes(TestModules.test("start-init-order")));
        Files.setLastModifiedTime(
                file,
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThatThrownBy(() -> store.load(ModuleRef.ofFile(file, echoDigest)))
                .isInstanceOf(ModuleLoadException.class)
                .hasMessageContaining("does not match its pinned sha256");
    }

    @Test
    void aCompilationTheBudgetCannotHoldIsTransientAndLeavesNothingBehind() throws Exception {
        io.argowasm.budget.MemoryBudget budget = io.argowasm.budget.MemoryBudget.of(1L << 20);
        budget.charge((1L << 20) - 1024, "other steps");
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(1L << 20, Duration.ofSeconds(5)),
                        1L << 20,
                        4,
                        null,
                        budget,
                        ModuleStore.DEFAULT_MAX_GENERATED_CODE,
                        FirstCalls.compiled);
        ModuleRef ref = ModuleRef.ofFile(TestModules.test("echo"), null);
        assertThatThrownBy(() -> store.load(ref))
                .isInstanceOfSatisfying(
                        ModuleLoadException.class, e -> assertThat(e.isTransient()).isTrue())
                .hasMessageContaining("compiling module");
        budget.release((1L << 20) - 1024);
        assertThat(store.load(ref).digest()).isEqualTo(echoDigest);
        assertThat(budget.used())
                .isEqualTo(io.argowasm.wapc.WapcModule.estimate(echo).retainedHeap());
    }

    @Test
    void aModuleCompilingInTheBackgroundIsChargedItsCompilationUntilItIsDone() throws Exception {
        io.argowasm.budget.MemoryBudget budget = io.argowasm.budget.MemoryBudget.of(64L << 20);
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(1L << 20, Duration.ofSeconds(5)),
                        1L << 20,
                        4,
                        null,
                        budget,
                        ModuleStore.DEFAULT_MAX_GENERATED_CODE,
                        FirstCalls.interpreted);
        io.argowasm.wapc.WapcModule.CompileCost cost = io.argowasm.wapc.WapcModule.estimate(echo);

        io.argowasm.wapc.WapcModule module =
                store.load(ModuleRef.ofFile(TestModules.test("echo"), null));

        assertThat(budget.used())
                .isBetween(cost.retainedHeap(), cost.retainedHeap() + cost.compilingHeap());
        module.compiledCode().get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (budget.used() != cost.retainedHeap() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(budget.used())
                .as("the compilation's working memory is given back when it is done")
                .isEqualTo(cost.retainedHeap());
    }

    @Test
    void generatedCodeStaysUnderItsCapByDroppingTheLeastRecentlyUsedModule() throws Exception {
        byte[] other = TestModules.bytes(TestModules.test("start-init-order"));
        long echoCode = io.argowasm.wapc.WapcModule.estimate(echo).generatedCode();
        long otherCode = io.argowasm.wapc.WapcModule.estimate(other).generatedCode();
        io.argowasm.budget.MemoryBudget budget = io.argowasm.budget.MemoryBudget.of(64L << 20);
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(1L << 20, Duration.ofSeconds(5)),
                        1L << 20,
                        4,
                        null,
                        budget,
                        Math.max(echoCode, otherCode) + 1,
                        FirstCalls.compiled);
        store.load(ModuleRef.ofFile(TestModules.test("echo"), null));
        long withEcho = budget.used();
        store.load(ModuleRef.ofFile(TestModules.test("start-init-order"), null));
        assertThat(budget.used())
                .as("echo was dropped to make room: only the second module is charged")
                .isEqualTo(io.argowasm.wapc.WapcModule.estimate(other).retainedHeap());
        assertThat(withEcho).isEqualTo(io.argowasm.wapc.WapcModule.estimate(echo).retainedHeap());
    }

    @Test
    void aModuleWhoseGeneratedCodeExceedsTheCapIsRefusedNamingTheFlag() {
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(1L << 20, Duration.ofSeconds(5)),
                        1L << 20,
                        4,
                        null,
                        io.argowasm.budget.MemoryBudget.of(64L << 20),
                        100);
        assertThatThrownBy(() -> store.load(ModuleRef.ofFile(TestModules.test("echo"), null)))
                .isInstanceOfSatisfying(
                        ModuleLoadException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("--max-compiled-code");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> store().load(ModuleRef.ofFile(dir.resolve("nope.wasm"), null)))
                .hasMessageContaining("nope.wasm does not exist on the sidecar's file system");
    }

    @Test
    void aModuleOverTheSizeCapIsRefusedWhileDownloading() {
        URI url = http.serve("/big.wasm", new byte[(1 << 20) + 1]);
        assertThatThrownBy(() -> store().load(ModuleRef.ofUrl(url, null)))
                .hasMessageContaining("larger than the 1 MiB module size cap");
    }

    @Test
    void anUnreachableHostIsReported() {
        assertThatThrownBy(
                        () ->
                                store().load(
                                                ModuleRef.ofUrl(
                                                        URI.create("http://127.0.0.1:1/m.wasm"),
                                                        null)))
                .hasMessageContaining("could not be fetched");
    }

    @Test
    void invalidBytesAreReportedWithTheModuleName() {
        URI url = http.serve("/junk.wasm", "not wasm".getBytes());
        assertThatThrownBy(() -> store().load(ModuleRef.ofUrl(url, null)))
                .isInstanceOf(ModuleLoadException.class)
                .hasMessageContaining("/junk.wasm is not a valid WebAssembly module");
    }
}
