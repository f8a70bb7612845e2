package io.argowasm.wapc;

import com.dylibso.chicory.runtime.Memory;
import io.argowasm.budget.MemoryBudget;
import io.argowasm.budget.OutOfBudgetException;
import io.argowasm.budget.Sizes;

/**
 * What one instance holds on the heap: its linear memory, its tables and its snapshot. Memory and
 * tables together stay within the instance's {@code limits.memory}; everything is charged to the
 * sidecar's {@link MemoryBudget} before it is allocated and released when the instance is dropped.
 *
 * <p>A refused growth cannot throw into the guest ({@code memory.grow} and {@code table.grow}
 * return -1), so the refusal is remembered and explains the failure that usually follows.
 */
final class InstanceFootprint {

    /**
     * Heap per table entry: Chicory keeps an {@code int} and a reference per entry, and {@code
     * table.grow} copies both arrays.
     */
    static final long TABLE_ENTRY_BYTES = 16;

    /** Most entries all tables of one instance may hold, whatever {@code limits.memory} allows. */
    static final long MAX_TABLE_ENTRIES = 1L << 20;

    private final MemoryBudget budget;
    private final long limitBytes;
    private long memoryBytes;
    private long reservedBytes;
    private long tableEntries;
    private long snapshotBytes;
    private long callBytes;
    private boolean closed;
    private volatile String refusal;
    private volatile OutOfBudgetException budgetRefusal;

    InstanceFootprint(MemoryBudget budget, long limitBytes) {
        this.budget = budget;
        this.limitBytes = limitBytes;
    }

    /** Charges the memory an instance starts with; throws so that instantiation stops. */
    synchronized void chargeInitialMemory(int pages) {
        long bytes = (long) pages * Memory.PAGE_SIZE;
        chargeOrThrow(bytes, "the module's initial memory of %s".formatted(Sizes.describe(bytes)));
        memoryBytes += bytes;
    }

    /** Charges the entries a table starts with; throws so that instantiation stops. */
    synchronized void chargeInitialTable(long entries) {
        if (tableEntries + entries > MAX_TABLE_ENTRIES) {
            throw new FootprintRefusal(
                    ("the module's tables hold %,d entries, more than the %,d this host allows"
                                    + " per instance")
                            .formatted(tableEntries + entries, MAX_TABLE_ENTRIES),
                    null);
        }
        chargeOrThrow(entries * TABLE_ENTRY_BYTES, "a table of %,d entries".formatted(entries));
        tableEntries += entries;
    }

    /** Whether linear memory may grow by {@code pages}; charged when it may. */
    synchronized boolean growMemory(int pages) {
        return growMemory(pages, 0);
    }

    /**
     * Whether linear memory may grow by {@code pages}, of which {@code reserved} were charged ahead
     * by {@link #reserveMemory}; the rest is charged when it may.
     */
    synchronized boolean growMemory(int pages, int reserved) {
        long bytes = (long) pages * Memory.PAGE_SIZE;
        long fresh = bytes - (long) reserved * Memory.PAGE_SIZE;
        if (!fitsLimit(bytes)) {
            refusal =
                    ("memory.grow to %s was refused: plugin.wasm.limits.memory is %s (tables count"
                                    + " against it too)")
                            .formatted(
                                    Sizes.describe(memoryBytes + bytes),
                                    Sizes.describe(limitBytes));
            return false;
        }
        if (!chargeQuietly(
                fresh, "memory.grow to %s".formatted(Sizes.describe(memoryBytes + bytes)))) {
            return false;
        }
        memoryBytes += bytes;
        reservedBytes -= bytes - fresh;
        return true;
    }

    /**
     * Charges pages a memory holds ahead of its growth, to the sidecar's budget alone and only when
     * they fit at once; nothing is reclaimed or remembered when they do not. They count against
     * {@code limits.memory} only once the guest grows into them ({@link #growMemory(int, int)}).
     */
    synchronized boolean reserveMemory(int pages) {
        long bytes = (long) pages * Memory.PAGE_SIZE;
        if (!budget.tryCharge(bytes)) {
            return false;
        }
        reservedBytes += bytes;
        return true;
    }

    /**
     * Charges, to the sidecar's budget alone, the old array a growing memory copies from, which
     * stays on the heap until the copy is made; false, with the refusal remembered, when it does
     * not fit. Given back with {@link #releaseTransient}.
     */
    synchronized boolean chargeTransient(long bytes, int pagesAfter) {
        return chargeQuietly(
                bytes,
                "memory.grow to %s, which copies the %s the guest holds"
                        .formatted(
                                Sizes.describe((long) pagesAfter * Memory.PAGE_SIZE),
                                Sizes.describe(bytes)));
    }

    /** Gives back what {@link #chargeTransient} charged. */
    synchronized void releaseTransient(long bytes) {
        budget.release(bytes);
    }

    /** Whether tables may grow by {@code entries}; charged when they may. */
    synchronized boolean growTable(long entries) {
        if (tableEntries + entries > MAX_TABLE_ENTRIES) {
            refusal =
                    "table.grow to %,d entries was refused: this host allows %,d per instance"
                            .formatted(tableEntries + entries, MAX_TABLE_ENTRIES);
            return false;
        }
        long bytes = entries * TABLE_ENTRY_BYTES;
        if (!fitsLimit(bytes)) {
            refusal =
                    ("table.grow by %,d entries was refused: with the linear memory it is over"
                                    + " plugin.wasm.limits.memory of %s")
                            .formatted(entries, Sizes.describe(limitBytes));
            return false;
        }
        if (!chargeQuietly(bytes, "table.grow by %,d entries".formatted(entries))) {
            return false;
        }
        tableEntries += entries;
        return true;
    }

    /** Charges a snapshot's bytes before it is kept. */
    synchronized void chargeSnapshot(long bytes) throws OutOfBudgetException {
        budget.charge(bytes, "the instance's snapshot of %s".formatted(Sizes.describe(bytes)));
        snapshotBytes += bytes;
    }

    /**
     * Charges what one call hands back to the host (its response) for as long as the call's result
     * is being made; false, with the refusal remembered, when it does not fit.
     */
    synchronized boolean chargeCall(long bytes, String what) {
        if (!chargeQuietly(bytes, what)) {
            return false;
        }
        callBytes += bytes;
        return true;
    }

    /** Gives back what {@link #chargeCall} charged, once the call's result is made. */
    synchronized void releaseCall() {
        budget.release(callBytes);
        callBytes = 0;
    }

    /** Gives everything back; the instance must not be used afterwards. */
    synchronized void close() {
        if (!closed) {
            closed = true;
            budget.release(
                    memoryBytes
                            + reservedBytes
                            + tableEntries * TABLE_ENTRY_BYTES
                            + snapshotBytes
                            + callBytes);
            callBytes = 0;
        }
    }

    /** Heap the instance holds. */
    synchronized long bytes() {
        return memoryBytes + reservedBytes + tableEntries * TABLE_ENTRY_BYTES + snapshotBytes;
    }

    /** Why the last growth was refused, or null; cleared by {@link #clearRefusal()}. */
    String refusal() {
        return refusal;
    }

    /** The budget's refusal behind {@link #refusal()}, or null when a limit refused it. */
    OutOfBudgetException budgetRefusal() {
        return budgetRefusal;
    }

    void clearRefusal() {
        refusal = null;
        budgetRefusal = null;
    }

    private boolean fitsLimit(long bytes) {
        return memoryBytes + tableEntries * TABLE_ENTRY_BYTES + bytes <= limitBytes;
    }

    private boolean chargeQuietly(long bytes, String what) {
        try {
            budget.charge(bytes, what);
            return true;
        } catch (OutOfBudgetException e) {
            refusal = e.getMessage();
            budgetRefusal = e;
            return false;
        }
    }

    private void chargeOrThrow(long bytes, String what) {
        if (!fitsLimit(bytes)) {
            throw new FootprintRefusal(
                    ("%s is over plugin.wasm.limits.memory of %s (tables count against it too);"
                                    + " raise plugin.wasm.limits.memory")
                            .formatted(what, Sizes.describe(limitBytes)),
                    null);
        }
        try {
            budget.charge(bytes, what);
        } catch (OutOfBudgetException e) {
            throw new FootprintRefusal(e.getMessage(), e);
        }
    }

    /** Stops instantiation when the instance would not fit; caught by {@link WapcInstance}. */
    static final class FootprintRefusal extends RuntimeException {
        private final transient OutOfBudgetException budget;

        FootprintRefusal(String message, OutOfBudgetException budget) {
            super(message, null, false, false);
            this.budget = budget;
        }

        /** The budget's refusal, or null when a per-instance limit refused. */
        OutOfBudgetException budget() {
            return budget;
        }
    }
}
