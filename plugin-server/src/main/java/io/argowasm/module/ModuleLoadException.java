package io.argowasm.module;

/** A module that could not be fetched, verified or compiled; the message is for the user. */
public final class ModuleLoadException extends Exception {

    public ModuleLoadException(String message) {
        super(message);
    }

    public ModuleLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
