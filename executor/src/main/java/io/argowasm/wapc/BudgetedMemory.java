package io.argowasm.wapc;

import com.dylibso.chicory.runtime.ConstantEvaluators;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A guest's linear memory as one flat byte array, whose pages are charged to the instance's {@link
 * InstanceFootprint} before they are allocated: at instantiation (a refusal stops it) and on {@code
 * memory.grow} (a refusal returns -1, as the specification has it).
 *
 * <p>Chicory's own {@code ByteArrayMemory} keeps an array of 64 KiB pages and, on every access,
 * picks the page, checks whether the access crosses into the next one and turns the JVM's
 * exceptions into a trap; here an access is one byte-array-view {@link VarHandle} on one array
 * (whose index check is the bounds check), which makes compute-heavy guests on compiled code 1.6 to
 * 2.2 times faster (docs/chicory-codegen.md). Reads and writes, traps and their messages are those
 * of {@code ByteArrayMemory}. Growing copies the array, so a memory shared between threads keeps
 * the paged memory ({@link #create}), as does one allowed past what one array holds.
 */
final class BudgetedMemory implements Memory {

    /** Most pages one Java array holds: its length is an {@code int}. */
    static final int MAX_PAGES = Integer.MAX_VALUE / PAGE_SIZE;

    private static final VarHandle SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private final MemoryLimits limits;
    private final InstanceFootprint footprint;
    private byte[] bytes;

    /**
     * The bytes the guest sees ({@code pages() * PAGE_SIZE}); the array may be longer, reserved
     * ahead of growth, and the rest of it is never read or written.
     */
    private int size;

    private DataSegment[] dataSegments;

    private BudgetedMemory(MemoryLimits limits, InstanceFootprint footprint) {
        footprint.chargeInitialMemory(limits.initialPages());
        this.limits = limits;
        this.footprint = footprint;
        this.bytes = new byte[limits.initialPages() * PAGE_SIZE];
        this.size = bytes.length;
    }

    /**
     * The memory for an instance: flat unless it is shared or may grow past {@link #MAX_PAGES} (the
     * plugin caps every guest far below that), when Chicory's paged memory holds it.
     */
    static Memory create(MemoryLimits limits, InstanceFootprint footprint) {
        if (limits.shared() || limits.maximumPages() > MAX_PAGES) {
            return new PagedBudgetedMemory(limits, footprint);
        }
        return new BudgetedMemory(limits, footprint);
    }

    /** {@link #create} for Chicory's {@code withMemoryFactory}. */
    static Function<MemoryLimits, Memory> factory(InstanceFootprint footprint) {
        return limits -> create(limits, footprint);
    }

    @Override
    public int pages() {
        return size / PAGE_SIZE;
    }

    /**
     * Grows by {@code delta} pages; -1, with nothing allocated, when the maximum, the instance's
     * limit or the budget refuses.
     */
    @Override
    public int grow(int delta) {
        int before = pages();
        if (delta < 0 || before + (long) delta > maximumPages()) {
            return -1;
        }
        int after = before + delta;
        int allocated = bytes.length / PAGE_SIZE;
        if (after <= allocated) {
            if (!footprint.growMemory(delta, delta)) {
                return -1;
            }
        } else if (!reallocate(before, allocated, after)) {
            return -1;
        }
        size = after * PAGE_SIZE;
        return before;
    }

    /**
     * Copies the memory into a larger array of at least {@code after} pages.
     *
     * <p>The array grows by half again what it holds when the instance's limit and the budget allow
     * it at once (up to the maximum): allocators such as Rust's grow memory a page at a time, and
     * copying on every growth would cost time quadratic in the memory's size. The pages held ahead
     * are charged to the sidecar's budget, since they are on the heap all the same, but count
     * against the guest's {@code limits.memory} (which its tables share) only once it grows into
     * them.
     *
     * <p>For a moment the old and the new array are both on the heap, so the old one is charged to
     * the sidecar's budget alone for as long as the copy lasts. It is heap the host needs, not
     * memory the guest holds, so it does not count against the guest's own limit; without it, many
     * instances growing large memories at once could together overrun the heap the budget protects.
     */
    private boolean reallocate(int before, int allocated, int after) {
        long copied = bytes.length;
        if (!footprint.chargeTransient(copied, after)) {
            return false;
        }
        try {
            if (!footprint.growMemory(after - before, allocated - before)) {
                return false;
            }
            int pages = (int) Math.min(Math.max(after, allocated + allocated / 2L), maximumPages());
            if (pages > after && !footprint.reserveMemory(pages - after)) {
                pages = after;
            }
            bytes = Arrays.copyOf(bytes, pages * PAGE_SIZE);
            return true;
        } finally {
            footprint.releaseTransient(copied);
        }
    }

    @Override
    public int initialPages() {
        return limits.initialPages();
    }

    @Override
    public int maximumPages() {
        return Math.min(limits.maximumPages(), RUNTIME_MAX_PAGES);
    }

    @Override
    public boolean shared() {
        return false;
    }

    /**
     * The monitor Chicory's default atomic operations hold: the memory is not shared, so only the
     * instance's own thread ever takes it.
     */
    @Override
    @SuppressWarnings("removal")
    public Object lock(int address) {
        return this;
    }

    @Override
    @SuppressWarnings("removal")
    public int waitOn(int address, int expected, long timeout) {
        throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
    }

    @Override
    @SuppressWarnings("removal")
    public int waitOn(int address, long expected, long timeout) {
        throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
    }

    @Override
    @SuppressWarnings("removal")
    public int notify(int address, int maxThreads) {
        return 0;
    }

    @Override
    public void initialize(Instance instance, DataSegment[] dataSegments) {
        initialize(instance, dataSegments, 0);
    }

    @Override
    public void initialize(Instance instance, DataSegment[] dataSegments, int memoryIndex) {
        this.dataSegments = dataSegments;
        if (dataSegments == null) {
            return;
        }
        for (DataSegment segment : dataSegments) {
            if (segment instanceof ActiveDataSegment active) {
                if (active.index() != memoryIndex) {
                    continue;
                }
                byte[] data = active.data();
                int offset =
                        (int)
                                ConstantEvaluators.computeConstantValue(
                                        instance, active.offsetInstructions())[0];
                if (!inBounds(offset, data.length, size)) {
                    throw new UninstantiableException(outOfBounds(offset, data.length));
                }
                System.arraycopy(data, 0, bytes, offset, data.length);
            } else if (!(segment instanceof PassiveDataSegment)) {
                throw new ChicoryException("Data segment should be active or passive: " + segment);
            }
        }
    }

    @Override
    public void initPassiveSegment(int segmentId, int dest, int offset, int length) {
        write(dest, dataSegments[segmentId].data(), offset, length);
    }

    @Override
    public void write(int addr, byte[] data, int offset, int length) {
        if (!inBounds(offset, length, data.length)) {
            throw new WasmRuntimeException(outOfBounds(offset, length, data.length));
        }
        checkBounds(addr, length);
        System.arraycopy(data, offset, bytes, addr, length);
    }

    @Override
    public byte read(int addr) {
        check(addr, 1);
        return bytes[addr];
    }

    @Override
    public byte[] readBytes(int addr, int len) {
        checkBounds(addr, len);
        return Arrays.copyOfRange(bytes, addr, addr + len);
    }

    @Override
    public void writeI32(int addr, int data) {
        check(addr, 4);
        INT.set(bytes, addr, data);
    }

    @Override
    public int readInt(int addr) {
        check(addr, 4);
        return (int) INT.get(bytes, addr);
    }

    @Override
    public void writeLong(int addr, long data) {
        check(addr, 8);
        LONG.set(bytes, addr, data);
    }

    @Override
    public long readLong(int addr) {
        check(addr, 8);
        return (long) LONG.get(bytes, addr);
    }

    @Override
    public void writeShort(int addr, short data) {
        check(addr, 2);
        SHORT.set(bytes, addr, data);
    }

    @Override
    public short readShort(int addr) {
        check(addr, 2);
        return (short) SHORT.get(bytes, addr);
    }

    @Override
    public long readU16(int addr) {
        return readShort(addr) & 0xFFFFL;
    }

    @Override
    public void writeByte(int addr, byte data) {
        check(addr, 1);
        bytes[addr] = data;
    }

    @Override
    public void writeF32(int addr, float data) {
        check(addr, 4);
        FLOAT.set(bytes, addr, data);
    }

    @Override
    public long readF32(int addr) {
        return readInt(addr);
    }

    @Override
    public float readFloat(int addr) {
        check(addr, 4);
        return (float) FLOAT.get(bytes, addr);
    }

    @Override
    public void writeF64(int addr, double data) {
        check(addr, 8);
        DOUBLE.set(bytes, addr, data);
    }

    @Override
    public double readDouble(int addr) {
        check(addr, 8);
        return (double) DOUBLE.get(bytes, addr);
    }

    @Override
    public long readF64(int addr) {
        return readLong(addr);
    }

    @Override
    public void zero() {
        Arrays.fill(bytes, 0, size, (byte) 0);
    }

    @Override
    public void fill(byte value, int fromIndex, int toIndex) {
        checkBounds(fromIndex, toIndex - fromIndex);
        Arrays.fill(bytes, fromIndex, toIndex, value);
    }

    /** {@code memory.copy}: overlapping ranges copy as if through a temporary array. */
    @Override
    public void copy(int dest, int src, int length) {
        checkBounds(dest, length);
        checkBounds(src, length);
        System.arraycopy(bytes, src, bytes, dest, length);
    }

    @Override
    public void drop(int segment) {
        dataSegments[segment] = PassiveDataSegment.EMPTY;
    }

    /**
     * Whether {@code size} bytes at {@code addr} lie within {@code limit}; {@code
     * ByteArrayMemory}'s rule (an empty access at the very end is fine), in {@code long} so no sum
     * wraps around.
     */
    private static boolean inBounds(int addr, int size, int limit) {
        return addr >= 0 && size >= 0 && (long) addr + size <= limit;
    }

    /** The bounds check of one access of {@code width} bytes, kept small to be inlined. */
    private void check(int addr, int width) {
        if (addr < 0 || addr > size - width) {
            throw trap(addr, width);
        }
    }

    private void checkBounds(int addr, int length) {
        if (!inBounds(addr, length, size)) {
            throw trap(addr, length);
        }
    }

    private WasmRuntimeException trap(int addr, int size) {
        return new WasmRuntimeException(outOfBounds(addr, size));
    }

    private String outOfBounds(int addr, int length) {
        return outOfBounds(addr, length, size);
    }

    /** {@code ByteArrayMemory}'s message, which the spec tests and callers match on. */
    private static String outOfBounds(int addr, int size, int limit) {
        return "out of bounds memory access: attempted to access address: %d but limit is: %d and size: %d"
                .formatted(addr, limit, size);
    }
}
