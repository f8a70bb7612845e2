package io.argowasm.budget;

/**
 * The command-line flag that sizes the memory budget, as its refusals name it; the command line
 * declares its option with this name.
 */
public final class BudgetFlags {

    public static final String MEMORY_BUDGET = "--memory-budget";

    private BudgetFlags() {}
}
