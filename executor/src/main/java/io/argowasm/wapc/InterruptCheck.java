package io.argowasm.wapc;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExecutionListener;
import com.dylibso.chicory.runtime.MStack;
import com.dylibso.chicory.wasm.types.Instruction;

/**
 * Stops code running in Chicory's interpreter when its thread is interrupted (a step's timeout), as
 * compiled code stops. Chicory 1.7.5's interpreter checks for an interrupt on calls and on {@code
 * br} only, so a loop closed by {@code br_if}, {@code br_table} or a tail call would outlive its
 * timeout; this check runs before every instruction the interpreter executes. Compiled code never
 * calls it.
 */
final class InterruptCheck implements ExecutionListener {

    static final InterruptCheck INSTANCE = new InterruptCheck();

    private InterruptCheck() {}

    @Override
    public void onExecution(Instruction instruction, MStack stack) {
        if (Thread.currentThread().isInterrupted()) {
            throw new ChicoryInterruptedException("Thread interrupted");
        }
    }
}
