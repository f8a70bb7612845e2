package io.argowasm.dryrun;

/**
 * A {@code {{...}}} reference that names nothing in scope, or an expression dry-run cannot
 * evaluate.
 */
final class UnresolvedVariableException extends RuntimeException {

    UnresolvedVariableException(String message) {
        super(message);
    }
}
