package io.argowasm.exec;

/** A step that failed for a reason the user can act on; the message goes into the node. */
final class StepFailure extends Exception {

    private final boolean aboutTheModule;
    private final boolean transientShortage;

    StepFailure(String message) {
        this(message, null, true, false);
    }

    StepFailure(String message, Throwable cause) {
        this(message, cause, true, false);
    }

    private StepFailure(
            String message, Throwable cause, boolean aboutTheModule, boolean transientShortage) {
        super(message, cause);
        this.aboutTheModule = aboutTheModule;
        this.transientShortage = transientShortage;
    }

    /**
     * The sidecar lacks memory right now because other steps hold it: the step is not failed but
     * answered {@code Pending}, and runs again when the agent asks next.
     */
    static StepFailure memoryBusy(String message, Throwable cause) {
        return new StepFailure(message, cause, true, true);
    }

    /**
     * A failure before the module ran (an input that cannot be staged): its message stands alone.
     */
    static StepFailure beforeTheModule(String message, Throwable cause) {
        return new StepFailure(message, cause, false, false);
    }

    /** Whether the step may succeed later: see {@link #memoryBusy}. */
    boolean isTransient() {
        return transientShortage;
    }

    /** Whether the message completes "module ... failed: ". */
    boolean aboutTheModule() {
        return aboutTheModule;
    }
}
