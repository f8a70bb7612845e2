package io.argowasm.dryrun;

/** A step that cannot run as written: its node ends in phase Error with this message. */
final class StepError extends RuntimeException {

    StepError(String message) {
        super(message);
    }
}
