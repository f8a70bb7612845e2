package io.argowasm.exec;

/** A step that failed for a reason the user can act on; the message goes into the node. */
final class StepFailure extends Exception {

    private final boolean aboutTheModule;

    StepFailure(String message) {
        this(message, null, true);
    }

    StepFailure(String message, Throwable cause) {
        this(message, cause, true);
    }

    private StepFailure(String message, Throwable cause, boolean aboutTheModule) {
        super(message, cause);
        this.aboutTheModule = aboutTheModule;
    }

    /**
     * A failure before the module ran (an input that cannot be staged): its message stands alone.
     */
    static StepFailure beforeTheModule(String message, Throwable cause) {
        return new StepFailure(message, cause, false);
    }

    /** Whether the message completes "module ... failed: ". */
    boolean aboutTheModule() {
        return aboutTheModule;
    }
}
