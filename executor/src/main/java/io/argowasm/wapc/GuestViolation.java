package io.argowasm.wapc;

/**
 * Thrown from inside a host function when the guest breaks the protocol (a pointer out of bounds, a
 * length over a cap). It unwinds the guest like a trap.
 */
final class GuestViolation extends RuntimeException {

    GuestViolation(String message) {
        super(message, null, false, false);
    }
}
