package io.argowasm.exec;

/** A step that failed for a reason the user can act on; the message goes into the node. */
final class StepFailure extends Exception {

    StepFailure(String message) {
        super(message);
    }

    StepFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
