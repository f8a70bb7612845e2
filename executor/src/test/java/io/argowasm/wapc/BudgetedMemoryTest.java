package io.argowasm.wapc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.OpCode;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import io.argowasm.budget.MemoryBudget;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * The flat guest memory: every access width right at the end of memory and one byte past it (a trap
 * with Chicory's message), growth within and beyond the instance's limit and the declared maximum,
 * bulk operations and data segments, and the paged memory for what the flat one cannot hold.
 */
class BudgetedMemoryTest {

    private static final int PAGE = Memory.PAGE_SIZE;

    private final MemoryBudget budget = MemoryBudget.of(64L * PAGE);

    private Memory memory(int initial, int maximum, long limitPages) {
        return BudgetedMemory.create(
                new MemoryLimits(initial, maximum),
                new InstanceFootprint(budget, limitPages * PAGE));
    }

    @Test
    void anUnsharedMemoryIsFlatAndASharedOneKeepsChicorysPages() {
        InstanceFootprint footprint = new InstanceFootprint(budget, 8L * PAGE);
        assertThat(BudgetedMemory.create(new MemoryLimits(1, 4), footprint))
                .isInstanceOf(BudgetedMemory.class);
        Memory shared = BudgetedMemory.create(new MemoryLimits(1, 4, true), footprint);
        assertThat(shared).isInstanceOf(PagedBudgetedMemory.class);
        assertThat(shared.shared()).isTrue();
        assertThat(BudgetedMemory.create(new MemoryLimits(1, MemoryLimits.MAX_PAGES), footprint))
                .isInstanceOf(PagedBudgetedMemory.class);
        assertThat(budget.used()).isEqualTo(3L * PAGE);
    }

    @Test
    void everyWidthReadsAndWritesLittleEndianAtTheLastAddressAndTrapsOnePast() {
        Memory memory = memory(1, 1, 1);
        int end = PAGE;

        memory.writeByte(end - 1, (byte) 0x81);
        assertThat(memory.read(end - 1)).isEqualTo((byte) 0x81);
        assertThat(memory.readU8(end - 1)).isEqualTo(0x81L);
        assertThat(memory.readI8(end - 1)).isEqualTo(-127L);
        assertTraps(end, 1, memory::read);
        assertTraps(end, 1, a -> memory.writeByte(a, (byte) 1));

        memory.writeShort(end - 2, (short) 0x8102);
        assertThat(memory.read(end - 2)).isEqualTo((byte) 0x02);
        assertThat(memory.readShort(end - 2)).isEqualTo((short) 0x8102);
        assertThat(memory.readU16(end - 2)).isEqualTo(0x8102L);
        assertThat(memory.readI16(end - 2)).isEqualTo((long) (short) 0x8102);
        assertTraps(end - 1, 2, memory::readShort);
        assertTraps(end - 1, 2, a -> memory.writeShort(a, (short) 1));

        memory.writeI32(end - 4, 0x81020304);
        assertThat(memory.read(end - 4)).isEqualTo((byte) 0x04);
        assertThat(memory.readInt(end - 4)).isEqualTo(0x81020304);
        assertThat(memory.readU32(end - 4)).isEqualTo(0x81020304L);
        assertThat(memory.readI32(end - 4)).isEqualTo((long) 0x81020304);
        assertTraps(end - 3, 4, memory::readInt);
        assertTraps(end - 3, 4, a -> memory.writeI32(a, 1));

        memory.writeLong(end - 8, 0x8102030405060708L);
        assertThat(memory.read(end - 8)).isEqualTo((byte) 0x08);
        assertThat(memory.readLong(end - 8)).isEqualTo(0x8102030405060708L);
        assertThat(memory.readI64(end - 8)).isEqualTo(0x8102030405060708L);
        assertTraps(end - 7, 8, memory::readLong);
        assertTraps(end - 7, 8, a -> memory.writeLong(a, 1));

        memory.writeF32(end - 4, 1.5f);
        assertThat(memory.readFloat(end - 4)).isEqualTo(1.5f);
        assertThat(memory.readF32(end - 4)).isEqualTo(Float.floatToRawIntBits(1.5f));
        assertTraps(end - 3, 4, memory::readFloat);
        assertTraps(end - 3, 4, a -> memory.writeF32(a, 1f));

        memory.writeF64(end - 8, -2.25);
        assertThat(memory.readDouble(end - 8)).isEqualTo(-2.25);
        assertThat(memory.readF64(end - 8)).isEqualTo(Double.doubleToRawLongBits(-2.25));
        assertTraps(end - 7, 8, memory::readDouble);
        assertTraps(end - 7, 8, a -> memory.writeF64(a, 1));

        assertTraps(-1, 4, memory::readInt);
        assertThat(memory.readBytes(end - 3, 3)).containsExactly(0, 2, (byte) 0xc0);
        assertTraps(end - 3, 4, a -> memory.readBytes(a, 4));
        assertTraps(end - 3, 4, a -> memory.write(a, new byte[4]));
    }

    @Test
    void growingWithinTheLimitKeepsTheContentsAndChargesThePages() {
        Memory memory = memory(1, 4, 3);
        memory.writeLong(PAGE - 8, 42);

        assertThat(memory.grow(0)).isEqualTo(1);
        assertThat(memory.grow(2)).isEqualTo(1);

        assertThat(memory.pages()).isEqualTo(3);
        assertThat(memory.readLong(PAGE - 8)).isEqualTo(42);
        memory.writeLong(3 * PAGE - 8, 7);
        assertThat(memory.readLong(3 * PAGE - 8)).isEqualTo(7);
        assertThat(budget.used()).isEqualTo(3L * PAGE);
    }

    @Test
    void growingPastTheLimitOrTheBudgetReturnsMinusOneAndAllocatesNothing() {
        Memory memory = memory(1, 8, 3);

        assertThat(memory.grow(3)).isEqualTo(-1);
        assertThat(memory.pages()).isEqualTo(1);
        assertThat(budget.used()).isEqualTo(PAGE);

        MemoryBudget small = MemoryBudget.of(3L * PAGE);
        InstanceFootprint footprint = new InstanceFootprint(small, 8L * PAGE);
        Memory tight = BudgetedMemory.create(new MemoryLimits(2, 8), footprint);
        // Three pages fit, but not while the old two are still on the heap during the copy.
        assertThat(tight.grow(1)).isEqualTo(-1);
        assertThat(tight.pages()).isEqualTo(2);
        assertThat(small.used()).isEqualTo(2L * PAGE);
        assertThat(footprint.refusal())
                .contains("memory.grow to 192.0 KiB, which copies the 128.0 KiB");
    }

    @Test
    void growingAPageAtATimeCopiesOnlyWhenThePagesHeldAheadRunOut() {
        Memory memory = memory(4, 16, 16);
        memory.writeByte(4 * PAGE - 1, (byte) 9);

        assertThat(memory.grow(1)).isEqualTo(4);
        // Half again the four pages are held (and charged), but only five are the guest's.
        assertThat(budget.used()).isEqualTo(6L * PAGE);
        assertThat(memory.pages()).isEqualTo(5);
        assertTraps(5 * PAGE, 5 * PAGE, 1, memory::read);
        assertTraps(5 * PAGE - 7, 5 * PAGE, 8, a -> memory.writeLong(a, 1));
        memory.writeByte(5 * PAGE - 1, (byte) 1);

        assertThat(memory.grow(1)).isEqualTo(5);
        assertThat(budget.used()).isEqualTo(6L * PAGE);
        assertThat(memory.readLong(6 * PAGE - 8)).isZero();
        assertThat(memory.read(4 * PAGE - 1)).isEqualTo((byte) 9);
        assertThat(memory.read(5 * PAGE - 1)).isEqualTo((byte) 1);
    }

    @Test
    void pagesHeldAheadCountAgainstTheLimitOnlyOnceTheGuestGrowsIntoThem() {
        Memory memory = memory(4, 16, 5);

        assertThat(memory.grow(1)).isEqualTo(4);
        assertThat(budget.used()).isEqualTo(6L * PAGE);
        assertThat(memory.grow(1)).isEqualTo(-1);
        assertThat(memory.pages()).isEqualTo(5);
        assertThat(budget.used()).isEqualTo(6L * PAGE);
    }

    @Test
    void pagesAheadThatDoNotFitTheBudgetAreNotHeld() {
        // Four pages, four more while they are copied, and the one the guest asks for.
        MemoryBudget tight = MemoryBudget.of(9L * PAGE);
        InstanceFootprint footprint = new InstanceFootprint(tight, 16L * PAGE);
        Memory memory = BudgetedMemory.create(new MemoryLimits(4, 16), footprint);

        assertThat(memory.grow(1)).isEqualTo(4);
        assertThat(tight.used()).isEqualTo(5L * PAGE);
        assertThat(footprint.refusal()).isNull();
        footprint.close();
        assertThat(tight.used()).isZero();
    }

    @Test
    void growingPastTheMaximumPagesReturnsMinusOne() {
        Memory memory = memory(1, 2, 16);

        assertThat(memory.grow(2)).isEqualTo(-1);
        assertThat(memory.grow(-1)).isEqualTo(-1);
        assertThat(memory.grow(1)).isEqualTo(1);
        assertThat(memory.grow(1)).isEqualTo(-1);
        assertThat(memory.pages()).isEqualTo(2);
        assertThat(memory.maximumPages()).isEqualTo(2);
        assertThat(budget.used()).isEqualTo(2L * PAGE);
    }

    @Test
    void fillAndOverlappingCopiesMoveTheRightBytes() {
        Memory memory = memory(1, 1, 1);
        memory.write(0, "abcdefgh".getBytes(StandardCharsets.US_ASCII));

        memory.copy(2, 0, 6);
        assertThat(text(memory, 0, 8)).isEqualTo("ababcdef");
        memory.copy(0, 2, 6);
        assertThat(text(memory, 0, 8)).isEqualTo("abcdefef");

        memory.fill((byte) 'z', 6, 8);
        assertThat(text(memory, 0, 8)).isEqualTo("abcdefzz");
        memory.fill((byte) 'y', PAGE, PAGE);
        assertTraps(PAGE - 1, 2, a -> memory.fill((byte) 0, a, a + 2));
        assertTraps(PAGE - 2, 4, a -> memory.copy(0, a, 4));
        assertTraps(PAGE - 2, 4, a -> memory.copy(a, 0, 4));

        memory.zero();
        assertThat(memory.readLong(0)).isZero();
    }

    @Test
    void activeSegmentsAreWrittenAndPassiveOnesCopiedUntilDropped() {
        Memory memory = memory(1, 1, 1);
        DataSegment[] segments = {
            new ActiveDataSegment(0, offset(16), "active".getBytes(StandardCharsets.US_ASCII)),
            new PassiveDataSegment("passive".getBytes(StandardCharsets.US_ASCII)),
            new ActiveDataSegment(1, offset(0), "other memory".getBytes(StandardCharsets.US_ASCII))
        };

        memory.initialize(null, segments);
        assertThat(text(memory, 16, 6)).isEqualTo("active");
        assertThat(memory.readLong(0)).isZero();

        memory.initPassiveSegment(1, 100, 3, 4);
        assertThat(text(memory, 100, 4)).isEqualTo("sive");
        memory.drop(1);
        memory.initPassiveSegment(1, 100, 0, 0);
        assertThatThrownBy(() -> memory.initPassiveSegment(1, 100, 0, 1))
                .isInstanceOf(WasmRuntimeException.class)
                .hasMessageStartingWith("out of bounds memory access");
    }

    @Test
    void anActiveSegmentPastTheEndStopsInstantiation() {
        Memory memory = memory(1, 1, 1);
        DataSegment[] segments = {new ActiveDataSegment(0, offset(PAGE - 2), new byte[3])};

        assertThatThrownBy(() -> memory.initialize(null, segments))
                .isInstanceOf(UninstantiableException.class)
                .hasMessageStartingWith("out of bounds memory access");
    }

    @Test
    void atomicsWorkOnTheUnsharedMemory() {
        Memory memory = memory(1, 1, 1);
        memory.atomicWriteInt(8, 5);
        assertThat(memory.atomicAddInt(8, 2)).isEqualTo(5);
        assertThat(memory.atomicCmpxchgInt(8, 7, 9)).isEqualTo(7);
        assertThat(memory.atomicReadInt(8)).isEqualTo(9);
        assertThat(memory.atomicNotify(8, 1)).isZero();
    }

    private static List<Instruction> offset(int value) {
        return List.of(
                new Instruction(-1, OpCode.I32_CONST, new long[] {value}),
                new Instruction(-1, OpCode.END, Instruction.EMPTY_OPERANDS));
    }

    private static String text(Memory memory, int addr, int len) {
        return new String(memory.readBytes(addr, len), StandardCharsets.US_ASCII);
    }

    private static void assertTraps(int addr, int size, IntConsumer access) {
        assertTraps(addr, PAGE, size, access);
    }

    private static void assertTraps(int addr, int limit, int size, IntConsumer access) {
        assertThatThrownBy(() -> access.accept(addr))
                .isInstanceOf(WasmRuntimeException.class)
                .hasMessage(
                        "out of bounds memory access: attempted to access address: %d but limit is: %d and size: %d"
                                .formatted(addr, limit, size));
    }
}
