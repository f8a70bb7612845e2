package io.argowasm.budget;

/**
 * A charge that did not fit into the {@link MemoryBudget}. It is either transient (other steps hold
 * the memory: try again later) or not (this alone is larger than the whole budget).
 */
public final class OutOfBudgetException extends Exception {

    private final long bytes;
    private final long capacity;
    private final boolean transientShortage;

    private OutOfBudgetException(
            String message, long bytes, long capacity, boolean transientShortage) {
        super(message);
        this.bytes = bytes;
        this.capacity = capacity;
        this.transientShortage = transientShortage;
    }

    /** A charge of {@code what} that the budget, {@code used} of its capacity, cannot take. */
    static OutOfBudgetException of(
            String what, long bytes, long capacity, long used, boolean transientShortage) {
        return new OutOfBudgetException(
                message(what, bytes, capacity, used, transientShortage),
                bytes,
                capacity,
                transientShortage);
    }

    /** A shortage of something other than the memory budget, said in the caller's words. */
    public static OutOfBudgetException withMessage(
            String message, long bytes, long capacity, boolean transientShortage) {
        return new OutOfBudgetException(message, bytes, capacity, transientShortage);
    }

    private static String message(
            String what, long bytes, long capacity, long used, boolean transientShortage) {
        if (transientShortage) {
            return ("%s needs %s of heap, which the sidecar's memory budget of %s cannot give now:"
                            + " other steps hold %s of it")
                    .formatted(
                            what,
                            Sizes.describe(bytes),
                            Sizes.describe(capacity),
                            Sizes.describe(used));
        }
        return ("%s needs %s of heap, more than the sidecar's whole memory budget of %s; lower"
                        + " plugin.wasm.limits.memory, or give the sidecar more memory (the budget"
                        + " follows its heap; %s sets it)")
                .formatted(
                        what,
                        Sizes.describe(bytes),
                        Sizes.describe(capacity),
                        BudgetFlags.MEMORY_BUDGET);
    }

    /** Whether the charge may fit later, once other steps have released memory. */
    public boolean isTransient() {
        return transientShortage;
    }

    public long bytes() {
        return bytes;
    }

    public long capacity() {
        return capacity;
    }
}
