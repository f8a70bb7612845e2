package io.argowasm.wapc;

/**
 * Module bytes that cannot be used: not WebAssembly, not waPC, or needing imports the host lacks.
 * The message completes the sentence "the module ...".
 */
public final class InvalidModuleException extends Exception {

    public InvalidModuleException(String message) {
        super(message);
    }

    public InvalidModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
