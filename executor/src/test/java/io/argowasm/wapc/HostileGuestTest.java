package io.argowasm.wapc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.TestModules;
import io.argowasm.budget.MemoryBudget;
import io.argowasm.wapc.GuestCallException.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guests and module bytes built to exhaust the host: each is refused or stopped with a message
 * naming the limit, before anything large is allocated, and the memory budget is whole afterwards.
 */
@ParameterizedClass
@EnumSource(Machines.class)
class HostileGuestTest {

    @Parameter Machines machines;

    private static final long MiB = 1L << 20;

    private WapcModule module(String name, MemoryBudget budget) throws Exception {
        return machines.module(TestModules.bytes(TestModules.test("limits/" + name)), budget);
    }

    private static String call(WapcInstance instance, String operation) throws Exception {
        return call(instance, operation, GuestOutput.keeping(5));
    }

    private static String call(WapcInstance instance, String operation, GuestOutput output)
            throws Exception {
        return new String(
                instance.call(operation, new byte[0], HostBindings.NONE, output),
                StandardCharsets.UTF_8);
    }

    @Test
    void aTypeSectionClaimingTwoBillionParametersIsRefusedBeforeParsing() {
        byte[] bytes = {
            0,
            'a',
            's',
            'm',
            1,
            0,
            0,
            0, // header
            1,
            7,
            1,
            0x60,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            0x08 // 2^31 params
        };
        assertThatThrownBy(() -> WapcModule.compile(bytes, "type-bomb"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("claims 2,147,483,648 entries");
    }

    @Test
    void aFunctionDeclaringMillionsOfLocalsIsRefusedBeforeParsing() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(100); // 100 groups of 50,000 i32 locals
        for (int i = 0; i < 100; i++) {
            body.writeBytes(new byte[] {(byte) 0xd0, (byte) 0x86, 0x03, 0x7f});
        }
        body.write(0x0b);
        byte[] code = body.toByteArray();
        ByteArrayOutputStream module = new ByteArrayOutputStream();
        module.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        module.writeBytes(new byte[] {1, 4, 1, 0x60, 0, 0}); // type () -> ()
        module.writeBytes(new byte[] {3, 2, 1, 0}); // one function of type 0
        int sectionSize = 1 + 2 + code.length;
        module.writeBytes(
                new byte[] {
                    10,
                    (byte) (sectionSize & 0x7f | 0x80),
                    (byte) (sectionSize >> 7),
                    1,
                    (byte) (code.length & 0x7f | 0x80),
                    (byte) (code.length >> 7)
                });
        module.writeBytes(code);
        assertThatThrownBy(() -> WapcModule.compile(module.toByteArray(), "locals-bomb"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("more than 50,000 locals");
    }

    @Test
    void tablesOfEightyMillionEntriesAreRefusedAtCompilation() {
        assertThatThrownBy(() -> module("table-bomb", MemoryBudget.unlimited()))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("declares tables of 80,000,000 entries")
                .hasMessageContaining("over this host's limit of 1,048,576 entries");
    }

    @Test
    void tableGrowthStopsAtTheCapAndDoesNotLeakIntoTheNextInstance() throws Exception {
        MemoryBudget budget = MemoryBudget.of(256 * MiB);
        WapcModule module = module("limits", budget);
        InstanceLimits limits = InstanceLimits.ofMemory(64 * MiB);
        WapcInstance first = WapcInstance.create(module, limits, GuestOutput.keeping(1));
        // Answers the table's size in millions of entries when growth was refused: one million
        // and one fit under the cap of 1,048,576, the next million does not.
        assertThat(call(first, "table-grow")).isEqualTo("1");
        first.close();
        WapcInstance second = WapcInstance.create(module, limits, GuestOutput.keeping(1));
        assertThat(second.chicory().table(0).size()).isEqualTo(1);
        second.close();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aHugeWasiReadLengthIsAFaultNotAnAllocation() throws Exception {
        WapcInstance instance =
                WapcInstance.create(
                        module("limits", MemoryBudget.unlimited()),
                        InstanceLimits.ofMemory(MiB * 4),
                        GuestOutput.keeping(1));
        // fd_read answers EFAULT (non-zero), so the guest reports failure rather than trapping.
        for (String operation : List.of("fd-read-huge", "fd-read-minus1")) {
            assertThatThrownBy(() -> call(instance, operation))
                    .isInstanceOfSatisfying(
                            GuestCallException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.GUEST_ERROR));
            assertThat(instance.usable()).isTrue();
        }
    }

    @Test
    void tenMillionWasiIovecsAreRefusedAtOnce() throws Exception {
        WapcInstance instance =
                WapcInstance.create(
                        module("limits", MemoryBudget.unlimited()),
                        InstanceLimits.ofMemory(MiB * 4),
                        GuestOutput.keeping(1));
        assertThatThrownBy(() -> call(instance, "fd-write-many"))
                .isInstanceOfSatisfying(
                        GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.GUEST_ERROR));
    }

    @Test
    void aLastLineWithoutANewlineReachesTheOutput() throws Exception {
        WapcInstance instance =
                WapcInstance.create(
                        module("limits", MemoryBudget.unlimited()),
                        InstanceLimits.ofMemory(MiB * 4),
                        GuestOutput.keeping(1));
        GuestOutput output = GuestOutput.keeping(5);
        assertThat(call(instance, "print-no-newline", output)).isEqualTo("ok");
        assertThat(output.lastLines()).containsExactly("stdout: last words");
    }

    @Test
    void aConsoleFloodIsCutAtTheOutputBudgetAndStoppedByAnInterrupt() throws Exception {
        WapcInstance instance =
                WapcInstance.create(
                        module("limits", MemoryBudget.unlimited()),
                        InstanceLimits.ofMemory(MiB * 4),
                        GuestOutput.keeping(1));
        List<String> logged = new ArrayList<>();
        GuestOutput output =
                new GuestOutput(
                        3,
                        (stream, text) -> logged.add(text),
                        new GuestOutput.Budget(1 << 20, 100));
        var threads = Executors.newSingleThreadExecutor();
        try {
            Future<?> flood = threads.submit(() -> call(instance, "console-flood", output));
            while (output.droppedLines() < 10_000) {
                Thread.sleep(10);
            }
            flood.cancel(true);
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            threads.shutdownNow();
        }
        assertThat(logged).hasSize(101);
        assertThat(logged.get(100)).contains("output truncated").contains("--max-guest-output");
        assertThat(instance.usable()).isFalse();
    }

    @Test
    void aMostlyEmptyInitialMemoryCostsItsSizeOnceNotTwice() throws Exception {
        MemoryBudget budget = MemoryBudget.of(200 * MiB);
        WapcModule module = module("big-initial-memory", budget);
        InstancePool pool = module.pool(InstanceLimits.ofMemory(256 * MiB));
        WapcInstance instance = pool.borrow(GuestOutput.keeping(1));
        assertThat(budget.used()).isBetween(3000 * 65536L, 3000 * 65536L + MiB);
        assertThat(call(instance, "run")).isEqualTo("ok");
        pool.giveBack(instance);
        assertThat(budget.used()).as("kept in the pool").isGreaterThan(180 * MiB);
        module.dropIdleInstances();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aSecondLargeInstanceWaitsForTheFirstAndIdleOnesAreDroppedToMakeRoom() throws Exception {
        MemoryBudget budget = MemoryBudget.of(300 * MiB);
        WapcModule module = module("big-initial-memory", budget);
        InstancePool pool = module.pool(InstanceLimits.ofMemory(256 * MiB));
        WapcInstance first = pool.borrow(GuestOutput.keeping(1));
        assertThatThrownBy(() -> pool.borrow(GuestOutput.keeping(1)))
                .isInstanceOfSatisfying(
                        GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.MEMORY_BUSY))
                .hasMessageContaining("other steps hold");
        pool.giveBack(first);
        // The idle instance is reused; a new one would find room by dropping it.
        WapcInstance again = pool.borrow(GuestOutput.keeping(1));
        assertThat(again).isSameAs(first);
        pool.giveBack(again);
        WapcModule other = module("big-initial-memory", budget);
        WapcInstance fresh =
                other.pool(InstanceLimits.ofMemory(256 * MiB)).borrow(GuestOutput.keeping(1));
        assertThat(fresh.usable()).isTrue();
        fresh.close();
        assertThat(budget.used()).isZero();
    }

    @Test
    void anInstanceLargerThanTheWholeBudgetIsAMemoryLimitFailure() throws Exception {
        MemoryBudget budget = MemoryBudget.of(100 * MiB);
        WapcModule module = module("big-initial-memory", budget);
        assertThatThrownBy(
                        () ->
                                WapcInstance.create(
                                        module,
                                        InstanceLimits.ofMemory(256 * MiB),
                                        GuestOutput.keeping(1)))
                .isInstanceOfSatisfying(
                        GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.MEMORY_LIMIT))
                .hasMessageContaining("more than the sidecar's whole memory budget");
        assertThat(budget.used()).isZero();
    }

    @Test
    void aResponseTheBudgetCannotHoldFailsTheCallAndIsGivenBack() throws Exception {
        MemoryBudget budget = MemoryBudget.of(24 * MiB);
        WapcInstance instance =
                WapcInstance.create(
                        module("limits", budget),
                        new InstanceLimits(16 * MiB, 16 << 20, 1 << 20),
                        GuestOutput.keeping(1));
        assertThatThrownBy(() -> call(instance, "respond-big"))
                .isInstanceOfSatisfying(
                        GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.MEMORY_LIMIT))
                .hasMessageContaining("the guest's response of 8.0 MiB");
        instance.close();
        assertThat(budget.used()).isZero();
    }
}
