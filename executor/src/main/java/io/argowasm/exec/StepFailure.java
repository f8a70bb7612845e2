package io.argowasm.exec;

import io.argowasm.metrics.PluginMetrics.Reason;
import io.argowasm.wapc.GuestCallException;

/** A step that failed for a reason the user can act on; the message goes into the node. */
final class StepFailure extends Exception {

    private final boolean aboutTheModule;
    private final boolean transientShortage;
    private final Reason reason;

    /** A failure of the guest's answer (a response that is not what the template expects). */
    StepFailure(String message) {
        this(message, null, true, false, Reason.GUEST_ERROR);
    }

    /** A failure whose reason follows from its cause: a failed guest call, or a guest error. */
    StepFailure(String message, Throwable cause) {
        this(message, cause, true, false, reasonOf(cause));
    }

    private StepFailure(
            String message,
            Throwable cause,
            boolean aboutTheModule,
            boolean transientShortage,
            Reason reason) {
        super(message, cause);
        this.aboutTheModule = aboutTheModule;
        this.transientShortage = transientShortage;
        this.reason = reason;
    }

    /** A failure about the module's run, for the given reason. */
    static StepFailure because(Reason reason, String message, Throwable cause) {
        return new StepFailure(message, cause, true, false, reason);
    }

    /**
     * The sidecar lacks memory right now because other steps hold it: the step is not failed but
     * answered {@code Pending}, and runs again when the agent asks next.
     */
    static StepFailure memoryBusy(String message, Throwable cause) {
        return new StepFailure(message, cause, true, true, Reason.MEMORY_BUSY);
    }

    /**
     * A failure before the module ran (an input that cannot be staged): its message stands alone.
     */
    static StepFailure beforeTheModule(String message, Throwable cause) {
        return new StepFailure(message, cause, false, false, Reason.ARTIFACT);
    }

    private static Reason reasonOf(Throwable cause) {
        if (!(cause instanceof GuestCallException call)) {
            return Reason.GUEST_ERROR;
        }
        return switch (call.kind()) {
            case GUEST_ERROR, PROTOCOL -> Reason.GUEST_ERROR;
            case TRAP, STACK_EXHAUSTED -> Reason.TRAP;
            case INTERRUPTED -> Reason.TIMEOUT;
            case INSTANTIATION -> Reason.MODULE_INVALID;
            case MEMORY_LIMIT -> Reason.MEMORY_LIMIT;
            case MEMORY_BUSY -> Reason.MEMORY_BUSY;
        };
    }

    /** Whether the step may succeed later: see {@link #memoryBusy}. */
    boolean isTransient() {
        return transientShortage;
    }

    /** Whether the message completes "module ... failed: ". */
    boolean aboutTheModule() {
        return aboutTheModule;
    }

    /** Why the step failed, for the metrics and the log. */
    Reason reason() {
        return reason;
    }
}
