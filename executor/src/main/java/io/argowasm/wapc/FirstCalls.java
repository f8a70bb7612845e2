package io.argowasm.wapc;

/**
 * How the first calls of a module never seen run ({@code --first-calls}). Lower case, as the flag
 * spells it.
 */
public enum FirstCalls {
    /**
     * In Chicory's interpreter, as soon as the module is parsed and checked, while a background
     * thread compiles it; instances made after that run the compiled code. The first step skips the
     * bytecode generation, later steps run as fast as with {@code compiled}.
     */
    interpreted,
    /** In compiled code only: the first step of a module waits until it is compiled. */
    compiled
}
