package io.argowasm.wapc;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExecutionCompletedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import io.argowasm.budget.OutOfBudgetException;
import io.argowasm.wapc.GuestCallException.Kind;
import io.argowasm.wapc.InstanceFootprint.FootprintRefusal;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * One instance of a waPC module, initialised and ready for calls. Not thread-safe: one thread uses
 * an instance at a time. After a trap, a timeout, a protocol violation or any other exception the
 * instance is broken and must be dropped. What it holds on the heap is charged to the sidecar's
 * memory budget until {@link #close()}.
 */
public final class WapcInstance {

    private static final String[] INIT_HOOKS = {"_start", "_initialize", "wapc_init"};

    private final Instance instance;
    private final CallState state;
    private final InstanceFootprint footprint;
    private final ExportFunction guestCall;
    private final Function<Instance, Machine> machineFactory;
    private Snapshot snapshot;
    private boolean broken;

    private WapcInstance(
            Instance instance,
            CallState state,
            InstanceFootprint footprint,
            Function<Instance, Machine> machineFactory) {
        this.instance = instance;
        this.state = state;
        this.footprint = footprint;
        this.guestCall = instance.export("__guest_call");
        this.machineFactory = machineFactory;
    }

    /**
     * Instantiates a module and runs its initialisation hooks, each only if exported, in waPC's
     * order: {@code _start} (a WASI exit with code 0 is fine), {@code _initialize}, {@code
     * wapc_init}.
     *
     * @param output receives what the guest prints while it initialises
     */
    public static WapcInstance create(WapcModule module, InstanceLimits limits, GuestOutput output)
            throws GuestCallException {
        InstanceFootprint footprint = new InstanceFootprint(module.budget(), limits.memoryBytes());
        CallState state = new CallState(limits, output, footprint);
        Function<Instance, Machine> machineFactory = module.machineFactory();
        boolean made = false;
        try {
            Instance instance;
            try {
                instance =
                        Instance.builder(module.wasm())
                                .withImportValues(HostImports.forInstance(state))
                                .withMachineFactory(machineFactory)
                                .withUnsafeExecutionListener(InterruptCheck.INSTANCE)
                                .withMemoryFactory(BudgetedMemory.factory(footprint))
                                .withTableFactory((t, v) -> BudgetedTable.create(t, v, footprint))
                                .withMemoryLimits(memoryLimits(module.declaredMemory(), limits))
                                .withStart(false)
                                .build();
            } catch (FootprintRefusal e) {
                throw refused(e.getMessage(), e.budget(), "instantiation");
            } catch (StackOverflowError | RuntimeException e) {
                throw failure(e, "instantiation", Kind.INSTANTIATION);
            }
            for (String hook : INIT_HOOKS) {
                if (module.exports(hook)) {
                    runHook(instance, hook, footprint);
                }
            }
            state.flushOutput();
            WapcInstance ready = new WapcInstance(instance, state, footprint, machineFactory);
            made = true;
            return ready;
        } finally {
            if (!made) {
                footprint.close();
            }
        }
    }

    /**
     * Calls the guest's operation with a payload.
     *
     * @param bindings the host calls the guest may make during this call
     * @param output receives what the guest prints during this call
     * @return the bytes the guest handed to {@code __guest_response}
     */
    public byte[] call(String operation, byte[] payload, HostBindings bindings, GuestOutput output)
            throws GuestCallException {
        if (broken) {
            throw new IllegalStateException("a broken instance cannot be called again");
        }
        byte[] op = operation.getBytes(StandardCharsets.UTF_8);
        state.begin(op, payload, bindings, output);
        footprint.clearRefusal();
        try {
            long result = guestCall.apply(op.length, payload.length)[0];
            String error = state.guestError();
            if (result == 1 && error == null) {
                if (state.guestResponse() == null) {
                    throw new GuestCallException(
                            Kind.PROTOCOL,
                            "the guest returned success but never called __guest_response");
                }
                return state.guestResponse();
            }
            throw withRefusal(
                    new GuestCallException(
                            Kind.GUEST_ERROR,
                            error == null || error.isBlank()
                                    ? "the guest reported failure without an error message"
                                    : error));
        } catch (StackOverflowError | OutOfMemoryError | RuntimeException e) {
            broken = true;
            GuestCallException failure =
                    withRefusal(failure(e, "operation '%s'".formatted(operation), Kind.TRAP));
            if (state.guestError() == null || state.guestError().isBlank()) {
                throw failure;
            }
            throw new GuestCallException(
                    failure.kind(),
                    "%s (the guest's error: %s)"
                            .formatted(failure.getMessage(), state.guestError()),
                    e);
        } finally {
            state.end();
        }
    }

    /**
     * Takes the snapshot that {@link #reset()} returns to; call right after {@link #create}. The
     * instance is closed when its snapshot does not fit into the memory budget.
     */
    WapcInstance withSnapshot() throws GuestCallException {
        try {
            snapshot = Snapshot.take(instance, footprint);
            return this;
        } catch (OutOfBudgetException e) {
            close();
            throw refused(e.getMessage(), e, "instantiation");
        }
    }

    /** Gives the instance's memory back to the budget; the instance cannot be used afterwards. */
    public void close() {
        broken = true;
        footprint.close();
    }

    /** Heap the instance holds: memory, tables and snapshot. */
    long footprintBytes() {
        return footprint.bytes();
    }

    /**
     * A failure that followed a refused {@code memory.grow} or {@code table.grow} says so, and
     * becomes a memory failure: the refusal, not the guest's reaction to it, is the cause.
     */
    private GuestCallException withRefusal(GuestCallException failure) {
        String refusal = footprint.refusal();
        if (refusal == null) {
            return failure;
        }
        OutOfBudgetException budget = footprint.budgetRefusal();
        Kind kind = budget != null && budget.isTransient() ? Kind.MEMORY_BUSY : Kind.MEMORY_LIMIT;
        String message =
                failure.getMessage().contains(refusal)
                        ? failure.getMessage()
                        : "%s after %s".formatted(failure.getMessage(), refusal);
        return new GuestCallException(kind, message, failure.getCause());
    }

    static GuestCallException refused(String message, OutOfBudgetException budget, String during) {
        Kind kind = budget != null && budget.isTransient() ? Kind.MEMORY_BUSY : Kind.MEMORY_LIMIT;
        return new GuestCallException(kind, "%s (during %s)".formatted(message, during), budget);
    }

    /**
     * Returns the instance to its snapshot.
     *
     * @return false when it cannot be reused: it is broken, has no snapshot, or grew
     */
    boolean reset() {
        footprint.releaseCall();
        return !broken && snapshot != null && snapshot.restore(instance);
    }

    /** What the instance runs: its module's compiled code, or the interpreter. */
    Function<Instance, Machine> machineFactory() {
        return machineFactory;
    }

    /** Whether the instance may still be called. */
    public boolean usable() {
        return !broken;
    }

    /** The guest's current memory size in bytes. */
    public long memoryBytes() {
        return (long) instance.memory().pages() * Memory.PAGE_SIZE;
    }

    Instance chicory() {
        return instance;
    }

    static MemoryLimits memoryLimits(MemoryLimits declared, InstanceLimits limits)
            throws GuestCallException {
        long limitPages = Math.min(limits.memoryBytes() / Memory.PAGE_SIZE, MemoryLimits.MAX_PAGES);
        if (declared.initialPages() > limitPages) {
            throw new GuestCallException(
                    Kind.INSTANTIATION,
                    ("the module needs %s KiB of memory at start, more than the"
                                    + " limit of %s KiB; raise plugin.wasm.limits.memory")
                            .formatted(
                                    declared.initialPages() * (long) Memory.PAGE_SIZE >> 10,
                                    limitPages * Memory.PAGE_SIZE >> 10));
        }
        // A shared memory stays shared, so it gets the paged memory (BudgetedMemory.factory).
        return new MemoryLimits(
                declared.initialPages(),
                (int) Math.min(declared.maximumPages(), limitPages),
                declared.shared());
    }

    private static void runHook(Instance instance, String hook, InstanceFootprint footprint)
            throws GuestCallException {
        try {
            instance.export(hook).apply();
        } catch (ExecutionCompletedException e) {
            // proc_exit(0): a command's _start finished normally.
        } catch (WasiExitException e) {
            if (e.exitCode() != 0) {
                throw new GuestCallException(
                        Kind.INSTANTIATION,
                        "initialisation failed: %s exited with code %s"
                                .formatted(hook, e.exitCode()),
                        e);
            }
        } catch (StackOverflowError | OutOfMemoryError | RuntimeException e) {
            GuestCallException failure = failure(e, hook, Kind.INSTANTIATION);
            if (footprint.refusal() != null) {
                OutOfBudgetException budget = footprint.budgetRefusal();
                throw refused(
                        "%s after %s".formatted(failure.getMessage(), footprint.refusal()),
                        budget,
                        hook);
            }
            throw failure;
        }
    }

    static GuestCallException failure(Throwable e, String during, Kind trapKind) {
        Throwable cause = rootOf(e);
        if (cause instanceof GuestViolation v) {
            return new GuestCallException(
                    Kind.PROTOCOL, "%s during %s".formatted(v.getMessage(), during), e);
        }
        if (cause instanceof ChicoryInterruptedException
                || Thread.currentThread().isInterrupted()) {
            return new GuestCallException(
                    Kind.INTERRUPTED, "interrupted during %s".formatted(during), e);
        }
        if (cause instanceof StackOverflowError) {
            return new GuestCallException(
                    Kind.STACK_EXHAUSTED,
                    "the guest exhausted its stack during %s (runaway recursion?)"
                            .formatted(during),
                    e);
        }
        if (cause instanceof OutOfMemoryError) {
            return new GuestCallException(
                    trapKind,
                    ("the sidecar ran out of Java heap during %s; lower"
                                    + " plugin.wasm.limits.memory or give the sidecar more memory")
                            .formatted(during),
                    e);
        }
        if (cause instanceof ExecutionCompletedException) {
            return new GuestCallException(
                    Kind.PROTOCOL,
                    "the guest called proc_exit(0) during %s instead of returning"
                            .formatted(during),
                    e);
        }
        if (cause instanceof WasiExitException exit) {
            return new GuestCallException(
                    trapKind,
                    "the guest exited with code %s during %s".formatted(exit.exitCode(), during),
                    e);
        }
        String what = cause instanceof TrapException ? "trapped" : "failed";
        String message =
                cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (message.contains("call stack exhausted")) {
            return new GuestCallException(
                    Kind.STACK_EXHAUSTED,
                    "the guest exhausted its stack during %s (runaway recursion?)"
                            .formatted(during),
                    e);
        }
        return new GuestCallException(
                trapKind, "the guest %s during %s: %s".formatted(what, during, message), e);
    }

    private static Throwable rootOf(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && !(t instanceof GuestViolation)) {
            if (t instanceof ChicoryInterruptedException
                    || t instanceof WasiExitException
                    || t instanceof ExecutionCompletedException) {
                return t;
            }
            t = t.getCause();
        }
        return t;
    }
}
