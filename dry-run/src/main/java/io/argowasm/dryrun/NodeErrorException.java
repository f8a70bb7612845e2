package io.argowasm.dryrun;

/** A step that cannot run as written: its node ends in phase Error with this message. */
final class NodeErrorException extends RuntimeException {

    NodeErrorException(String message) {
        super(message);
    }
}
