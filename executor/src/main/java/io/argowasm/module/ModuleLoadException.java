package io.argowasm.module;

/** A module that could not be fetched, verified or compiled; the message is for the user. */
public final class ModuleLoadException extends Exception {

    private final boolean invalidModule;

    public ModuleLoadException(String message) {
        this(message, null, false);
    }

    public ModuleLoadException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private ModuleLoadException(String message, Throwable cause, boolean invalidModule) {
        super(message, cause);
        this.invalidModule = invalidModule;
    }

    /** The module's bytes were read but are not the module wanted: a wrong digest, bad code. */
    static ModuleLoadException invalid(String message, Throwable cause) {
        return new ModuleLoadException(message, cause, true);
    }

    /** Whether the bytes were read and refused, rather than not read at all. */
    public boolean isInvalidModule() {
        return invalidModule;
    }

    /** Whether the load may succeed later: the memory budget was held by other steps. */
    public boolean isTransient() {
        return getCause() instanceof io.argowasm.budget.OutOfBudgetException budget
                && budget.isTransient();
    }

    /** Whether the module needs more memory than the sidecar's budget holds. */
    public boolean isOverBudget() {
        return getCause() instanceof io.argowasm.budget.OutOfBudgetException budget
                && !budget.isTransient();
    }
}
