package io.argowasm.wapc;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TableInstance;

/**
 * An initialised instance's state: linear memory, globals and tables, taken once after the init
 * hooks and written back after every call, so each invocation starts from the same fresh state
 * without paying for instantiation again.
 */
final class Snapshot {

    private final byte[] memory;
    private final int pages;
    private final long[] globalLow;
    private final long[] globalHigh;
    private final int[][] tables;

    private Snapshot(
            byte[] memory, int pages, long[] globalLow, long[] globalHigh, int[][] tables) {
        this.memory = memory;
        this.pages = pages;
        this.globalLow = globalLow;
        this.globalHigh = globalHigh;
        this.tables = tables;
    }

    static Snapshot take(Instance instance) {
        Memory memory = instance.memory();
        int pages = memory.pages();
        byte[] bytes = memory.readBytes(0, pages * Memory.PAGE_SIZE);
        int globals = instance.globalCount();
        long[] low = new long[globals];
        long[] high = new long[globals];
        for (int i = 0; i < globals; i++) {
            GlobalInstance g = instance.global(i);
            low[i] = g.getValueLow();
            high[i] = g.getValueHigh();
        }
        int[][] tables = new int[instance.tableCount()][];
        for (int t = 0; t < tables.length; t++) {
            TableInstance table = instance.table(t);
            tables[t] = new int[table.size()];
            for (int i = 0; i < tables[t].length; i++) {
                tables[t][i] = table.ref(i);
            }
        }
        return new Snapshot(bytes, pages, low, high, tables);
    }

    /**
     * Writes the state back.
     *
     * @return false when the instance changed in a way that cannot be undone in place (its memory
     *     or a table grew); the caller then drops the instance
     */
    boolean restore(Instance instance) {
        Memory memory = instance.memory();
        if (memory.pages() != pages) {
            return false;
        }
        for (int t = 0; t < tables.length; t++) {
            if (instance.table(t).size() != tables[t].length) {
                return false;
            }
        }
        memory.write(0, this.memory);
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

    /** Bytes held by the snapshot, for sizing pools. */
    int memoryBytes() {
        return memory.length;
    }
}
