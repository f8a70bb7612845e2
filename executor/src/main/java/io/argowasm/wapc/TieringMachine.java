package io.argowasm.wapc;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.MStack;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.StackFrame;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.util.Deque;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Chicory's interpreter for an instance made before its module was compiled, which moves into the
 * compiled code as soon as there is some: every call of one of the module's own functions, from the
 * host or from interpreted code, runs compiled once the module's compilation is done. A long first
 * call (a large payload parsed by interpreted code) thus runs at compiled speed from its next
 * function call on, instead of finishing in the interpreter. Both machines work on the instance's
 * one memory, globals and tables, as Chicory's compiled code and its interpreter fallback do.
 *
 * <p>Modules using exception handling ({@code try_table}) stay in the interpreter for calls made
 * from interpreted code: a wasm exception thrown by compiled code would not unwind interpreted
 * frames as the interpreter's own throws do.
 */
final class TieringMachine extends InterpreterMachine {

    private final Supplier<Function<Instance, Machine>> compiledCode;
    private final boolean tiersUpInsideCalls;
    private Machine compiled;

    /**
     * @param compiledCode the module's compiled machine factory, null until it is ready
     */
    TieringMachine(Instance instance, Supplier<Function<Instance, Machine>> compiledCode) {
        super(instance);
        this.compiledCode = compiledCode;
        this.tiersUpInsideCalls = instance.module().tagSection().isEmpty();
    }

    @Override
    public long[] call(int funcId, long[] args) {
        Machine target = compiled();
        return target == null ? super.call(funcId, args) : target.call(funcId, args);
    }

    @Override
    protected long[] call(
            MStack stack,
            Instance instance,
            Deque<StackFrame> callStack,
            int funcId,
            long[] args,
            FunctionType callType,
            boolean popResults) {
        // Host functions stay with the interpreter, which turns their exceptions into wasm ones.
        Machine target =
                tiersUpInsideCalls && instance == instance() && instance.function(funcId) != null
                        ? compiled()
                        : null;
        if (target == null) {
            return super.call(stack, instance, callStack, funcId, args, callType, popResults);
        }
        // callType is the callee's own type here (call and call_ref); call_indirect checked its
        // type before calling.
        long[] results = target.call(funcId, args);
        if (popResults) {
            return results;
        }
        if (results != null) {
            for (long result : results) {
                stack.push(result);
            }
        }
        return null;
    }

    /** Whether calls on this instance run compiled code now. */
    boolean tieredUp() {
        return compiled != null;
    }

    private Machine compiled() {
        if (compiled == null) {
            Function<Instance, Machine> factory = compiledCode.get();
            if (factory != null) {
                compiled = factory.apply(instance());
            }
        }
        return compiled;
    }
}
