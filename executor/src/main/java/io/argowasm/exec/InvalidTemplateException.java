package io.argowasm.exec;

/** A {@code plugin.wasm} block or template the plugin cannot run; the message is for the user. */
public final class InvalidTemplateException extends Exception {

    public InvalidTemplateException(String message) {
        super(message);
    }
}
