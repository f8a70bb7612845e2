package io.argowasm.wapc;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TableInstance;
import io.argowasm.budget.OutOfBudgetException;

/**
 * An initialised instance's state: linear memory, globals and tables, taken once after the init
 * hooks and written back after every call, so each invocation starts from the same fresh state
 * without paying for instantiation again. Only memory pages holding something other than zeros are
 * kept, so a module with a large, mostly empty initial memory costs little more than its data.
 */
final class Snapshot {

    private final byte[][] pages;
    private final long[] globalLow;
    private final long[] globalHigh;
    private final int[][] tables;
    private final long bytes;

    private Snapshot(
            byte[][] pages, long[] globalLow, long[] globalHigh, int[][] tables, long bytes) {
        this.pages = pages;
        this.globalLow = globalLow;
        this.globalHigh = globalHigh;
        this.tables = tables;
        this.bytes = bytes;
    }

    /** Takes the state, charging what it keeps to the instance's footprint first. */
    static Snapshot take(Instance instance, InstanceFootprint footprint)
            throws OutOfBudgetException {
        Memory memory = instance.memory();
        byte[][] pages = new byte[memory.pages()][];
        long kept = (long) pages.length * 8;
        for (int p = 0; p < pages.length; p++) {
            if (!isZero(memory, p)) {
                kept += Memory.PAGE_SIZE;
            }
        }
        int globals = instance.globalCount();
        int[][] tables = new int[instance.tableCount()][];
        for (int t = 0; t < tables.length; t++) {
            kept += 4L * instance.table(t).size();
        }
        footprint.chargeSnapshot(kept);
        for (int p = 0; p < pages.length; p++) {
            if (!isZero(memory, p)) {
                pages[p] = memory.readBytes(p * Memory.PAGE_SIZE, Memory.PAGE_SIZE);
            }
        }
        long[] low = new long[globals];
        long[] high = new long[globals];
        for (int i = 0; i < globals; i++) {
            GlobalInstance g = instance.global(i);
            low[i] = g.getValueLow();
            high[i] = g.getValueHigh();
        }
        for (int t = 0; t < tables.length; t++) {
            TableInstance table = instance.table(t);
            tables[t] = new int[table.size()];
            for (int i = 0; i < tables[t].length; i++) {
                tables[t][i] = table.ref(i);
            }
        }
        return new Snapshot(pages, low, high, tables, kept);
    }

    private static boolean isZero(Memory memory, int page) {
        int base = page * Memory.PAGE_SIZE;
        for (int offset = 0; offset < Memory.PAGE_SIZE; offset += 8) {
            if (memory.readLong(base + offset) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the state back.
     *
     * @return false when the instance changed in a way that cannot be undone in place (its memory
     *     or a table grew); the caller then drops the instance
     */
    boolean restore(Instance instance) {
        Memory memory = instance.memory();
        if (memory.pages() != pages.length) {
            return false;
        }
        for (int t = 0; t < tables.length; t++) {
            if (instance.table(t).size() != tables[t].length) {
                return false;
            }
        }
        for (int p = 0; p < pages.length; p++) {
            int base = p * Memory.PAGE_SIZE;
            if (pages[p] == null) {
                memory.fill((byte) 0, base, base + Memory.PAGE_SIZE);
            } else {
                memory.write(base, pages[p]);
            }
        }
        for (int i = 0; i < globalLow.length; i++) {
            GlobalInstance g = instance.global(i);
            g.setValueLow(globalLow[i]);
            g.setValueHigh(globalHigh[i]);
        }
        for (int t = 0; t < tables.length; t++) {
            TableInstance table = instance.table(t);
            for (int i = 0; i < tables[t].length; i++) {
                if (table.ref(i) != tables[t][i]) {
                    table.setRef(i, tables[t][i], instance);
                }
            }
        }
        return true;
    }

    /** Heap the snapshot keeps. */
    long bytes() {
        return bytes;
    }
}
