package io.argowasm.module;

/** A module that could not be fetched, verified or compiled; the message is for the user. */
public final class ModuleLoadException extends Exception {

    public ModuleLoadException(String message) {
        super(message);
    }

    public ModuleLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the load may succeed later: the memory budget was held by other steps. */
    public boolean isTransient() {
        return getCause() instanceof io.argowasm.budget.OutOfBudgetException budget
                && budget.isTransient();
    }
}
