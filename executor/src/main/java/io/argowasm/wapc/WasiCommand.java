package io.argowasm.wapc;

import com.dylibso.chicory.runtime.ExecutionCompletedException;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import io.argowasm.budget.OutOfBudgetException;
import io.argowasm.wapc.GuestCallException.Kind;
import io.argowasm.wapc.InstanceFootprint.FootprintRefusal;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * Runs a WASI command once: a fresh instance of the module, its {@code _start} called with what a
 * {@link WasiProcess} grants, the instance dropped afterwards. Memory, tables and the guest's files
 * are charged to the sidecar's memory budget as for waPC guests; stderr goes to the guest's output
 * line by line, stdout is kept (up to the response cap) for the host to read.
 */
public final class WasiCommand {

    /**
     * How a run ended.
     *
     * @param exitCode the code passed to {@code proc_exit}, or 0 when {@code _start} returned
     * @param stdout what the guest wrote to stdout, cut at the response cap
     * @param stdoutCut whether stdout went past the cap and was cut
     */
    public record Exit(int exitCode, byte[] stdout, boolean stdoutCut) {}

    private WasiCommand() {}

    /**
     * Runs the command to its end.
     *
     * @param bindings the host calls the guest may make: {@code http} serves {@code
     *     wasi_experimental_http}
     * @throws GuestCallException when it traps, is interrupted, or runs out of memory
     */
    public static Exit run(
            WapcModule module,
            InstanceLimits limits,
            WasiProcess process,
            HostBindings bindings,
            GuestOutput output)
            throws GuestCallException {
        InstanceFootprint footprint = new InstanceFootprint(module.budget(), limits.memoryBytes());
        CallState state = new CallState(limits, output, footprint);
        CappedOutput stdout = new CappedOutput(limits.maxResponseBytes());
        SandboxWasi wasi = new SandboxWasi(stdout, state.stderr(), process);
        if (process.files() != null) {
            process.files().chargeTo(module.budget());
        }
        state.begin(new byte[0], new byte[0], bindings, output);
        try {
            Instance instance = instantiate(module, limits, footprint, state, wasi);
            int code = start(instance, footprint);
            return new Exit(code, stdout.bytes(), stdout.cut);
        } finally {
            state.flushOutput();
            state.end();
            wasi.close();
            footprint.close();
        }
    }

    private static Instance instantiate(
            WapcModule module,
            InstanceLimits limits,
            InstanceFootprint footprint,
            CallState state,
            SandboxWasi wasi)
            throws GuestCallException {
        ImportValues imports = HostImports.forCommand(state, wasi);
        try {
            return Instance.builder(module.wasm())
                    .withImportValues(imports)
                    .withMachineFactory(module.machineFactory())
                    .withUnsafeExecutionListener(InterruptCheck.INSTANCE)
                    .withMemoryFactory(BudgetedMemory.factory(footprint))
                    .withTableFactory((t, v) -> BudgetedTable.create(t, v, footprint))
                    .withMemoryLimits(WapcInstance.memoryLimits(module.declaredMemory(), limits))
                    .withStart(false)
                    .build();
        } catch (FootprintRefusal e) {
            throw WapcInstance.refused(e.getMessage(), e.budget(), "instantiation");
        } catch (StackOverflowError | RuntimeException e) {
            throw WapcInstance.failure(e, "instantiation", Kind.INSTANTIATION);
        }
    }

    private static int start(Instance instance, InstanceFootprint footprint)
            throws GuestCallException {
        try {
            instance.export("_start").apply();
            return 0;
        } catch (ExecutionCompletedException e) {
            return 0; // proc_exit(0)
        } catch (WasiExitException e) {
            return e.exitCode();
        } catch (StackOverflowError | OutOfMemoryError | RuntimeException e) {
            GuestCallException failure = WapcInstance.failure(e, "_start", Kind.TRAP);
            if (footprint.refusal() != null) {
                OutOfBudgetException budget = footprint.budgetRefusal();
                throw WapcInstance.refused(
                        "%s after %s".formatted(failure.getMessage(), footprint.refusal()),
                        budget,
                        "_start");
            }
            throw failure;
        }
    }

    /** stdout kept up to a cap; what goes past it is dropped and noted. */
    private static final class CappedOutput extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int cap;
        private boolean cut;

        CappedOutput(int cap) {
            this.cap = cap;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int room = Math.max(0, cap - bytes.size());
            if (len > room) {
                cut = true;
            }
            bytes.write(b, off, Math.min(len, room));
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
