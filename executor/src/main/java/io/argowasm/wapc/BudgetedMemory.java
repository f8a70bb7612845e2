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
    private DataSegment[] dataSegments;

    private BudgetedMemory(MemoryLimits limits, InstanceFootprint footprint) {
        footprint.chargeInitialMemory(limits.initialPages());
        this.limits = limits;
        this.footprint = footprint;
        this.bytes = new byte[limits.initialPages() * PAGE_SIZE];
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
        return bytes.length / PAGE_SIZE;
    }

    @Override
    public int grow(int size) {
        int before = pages();
        if (size < 0 || before + (long) size > maximumPages()) {
            return -1;
        }
        if (size == 0) {
            return before;
        }
        // Growing copies the array, so for a moment the old and the new array are both on the
        // heap. The new pages are charged as the guest's memory (against limits.memory and the
        // sidecar's budget); the old array is charged to the sidecar's budget alone, for as long
        // as the copy lasts: it is heap the host needs, not memory the guest holds, so it does
        // not count against the guest's own limit, but without it many instances growing large
        // memories at once could together overrun the heap the budget protects.
        long copied = bytes.length;
        if (!footprint.chargeTransient(copied, before + size)) {
            return -1;
        }
        try {
            if (!footprint.growMemory(size)) {
                return -1;
            }
            bytes = Arrays.copyOf(bytes, (before + size) * PAGE_SIZE);
            return before;
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
                if (!inBounds(offset, data.length, bytes.length)) {
                    throw new UninstantiableException(outOfBounds(offset, data.length));
                }
                System.arraycopy(data, 0, bytes, offset, data.length);
            } else if (!(segment instanceof PassiveDataSegment)) {
                throw new ChicoryException("Data segment should be active or passive: " + segment);
            }
        }
    }

    @Override
    public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
        write(dest, dataSegments[segmentId].data(), offset, size);
    }

    @Override
    public void write(int addr, byte[] data, int offset, int size) {
        if (!inBounds(offset, size, data.length)) {
            throw new WasmRuntimeException(outOfBounds(offset, size, data.length));
        }
        checkBounds(addr, size);
        System.arraycopy(data, offset, bytes, addr, size);
    }

    @Override
    public byte read(int addr) {
        try {
            return bytes[addr];
        } catch (IndexOutOfBoundsException e) {
            throw trap(addr, 1);
        }
    }

    @Override
    public byte[] readBytes(int addr, int len) {
        checkBounds(addr, len);
        return Arrays.copyOfRange(bytes, addr, addr + len);
    }

    @Override
    public void writeI32(int addr, int data) {
        try {
            INT.set(bytes, addr, data);
        } catch (IndexOutOfBoundsException e) {
            throw trap(addr, 4);
        }
    }

    @Override
    public int readInt(int addr) {
        try {
            return (int) INT.get(bytes, addr);
        } catch (IndexOutOfBoundsException e) {
            throw trap(addr, 4);
        }
    }

    @Override
    public void writeLong(int addr, long data) {
        try {
            LONG.set(bytes, addr, data);
        } catch (IndexOutOfBoundsException e) {
            throw trap(addr, 8);
        }
    }

    @Override
    public long readLong(int addr) {
        try {
            return (long) LONG.get(bytes, addr);
        } catch (IndexOutOfBoundsException e) {
            throw trap(addr, 8);
        }
    }

    @Override
    public void writeShort(int addr, short data) {
        try {
            SHORT.set(bytes, addr, data);
        } catch (IndexOutOfBoundsException e) {
            throw trap(addr, 2);
        }
    }

    @Override
    public short readShort(int addr) {
        try {
            return (short) SHORT.get(bytes, addr);
        } catch (IndexOutOfBoundsException e) {
            throw trap(addr, 2);
        }
    }

    @Override
    public long readU16(int addr) {
        return readShort(addr) & 0xFFFFL;
    }

    @Override
    public void writeByte(int addr, byte data) {
        try {
            bytes[addr] = data;
        } catch (IndexOutOfBoundsException e) {
            throw trap(addr, 1);
        }
    }

    @Override
    public void writeF32(int addr, float data) {
        try {
            FLOAT.set(bytes, addr, data);
        } catch (IndexOutOfBoundsException e) {
            throw trap(addr, 4);
        }
    }

    @Override
    public long readF32(int addr) {
        return readInt(addr);
    }

    @Override
    public float readFloat(int addr) {
        try {
            return (float) FLOAT.get(bytes, addr);
        } catch (IndexOutOfBoundsException e) {
            throw trap(addr, 4);
        }
    }

    @Override
    public void writeF64(int addr, double data) {
        try {
            DOUBLE.set(bytes, addr, data);
        } catch (IndexOutOfBoundsException e) {
            throw trap(addr, 8);
        }
    }

    @Override
    public double readDouble(int addr) {
        try {
            return (double) DOUBLE.get(bytes, addr);
        } catch (IndexOutOfBoundsException e) {
            throw trap(addr, 8);
        }
    }

    @Override
    public long readF64(int addr) {
        return readLong(addr);
    }

    @Override
    public void zero() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public void fill(byte value, int fromIndex, int toIndex) {
        checkBounds(fromIndex, toIndex - fromIndex);
        Arrays.fill(bytes, fromIndex, toIndex, value);
    }

    /** {@code memory.copy}: overlapping ranges copy as if through a temporary array. */
    @Override
    public void copy(int dest, int src, int size) {
        checkBounds(dest, size);
        checkBounds(src, size);
        System.arraycopy(bytes, src, bytes, dest, size);
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

    private void checkBounds(int addr, int size) {
        if (!inBounds(addr, size, bytes.length)) {
            throw trap(addr, size);
        }
    }

    private WasmRuntimeException trap(int addr, int size) {
        return new WasmRuntimeException(outOfBounds(addr, size));
    }

    private String outOfBounds(int addr, int size) {
        return outOfBounds(addr, size, bytes.length);
    }

    /** {@code ByteArrayMemory}'s message, which the spec tests and callers match on. */
    private static String outOfBounds(int addr, int size, int limit) {
        return "out of bounds memory access: attempted to access address: %d but limit is: %d and size: %d"
                .formatted(addr, limit, size);
    }
}
