package io.argowasm.wapc;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import io.argowasm.budget.MemoryBudget;
import java.util.function.Function;

/**
 * The linear memory the plugin gives guests, for code outside the host that runs Chicory itself
 * (the benchmarks) and should measure the memory the plugin runs.
 */
public final class GuestMemories {

    private GuestMemories() {}

    /**
     * A memory factory for Chicory's {@code withMemoryFactory}: each memory is capped at {@code
     * limitBytes}, as {@code plugin.wasm.limits.memory} caps a guest's, and charged to an unlimited
     * budget.
     */
    public static Function<MemoryLimits, Memory> unbudgeted(long limitBytes) {
        return declared -> {
            int limitPages = (int) Math.min(limitBytes / Memory.PAGE_SIZE, MemoryLimits.MAX_PAGES);
            MemoryLimits capped =
                    new MemoryLimits(
                            declared.initialPages(),
                            Math.min(declared.maximumPages(), limitPages),
                            declared.shared());
            return BudgetedMemory.create(
                    capped, new InstanceFootprint(MemoryBudget.unlimited(), limitBytes));
        };
    }
}
