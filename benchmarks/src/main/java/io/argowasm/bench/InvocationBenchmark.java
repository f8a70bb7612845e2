package io.argowasm.bench;

import io.argowasm.module.Digests;
import io.argowasm.wapc.GuestCallException;
import io.argowasm.wapc.GuestOutput;
import io.argowasm.wapc.HostBindings;
import io.argowasm.wapc.InstanceLimits;
import io.argowasm.wapc.InstancePool;
import io.argowasm.wapc.InvalidModuleException;
import io.argowasm.wapc.WapcInstance;
import io.argowasm.wapc.WapcModule;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one invocation costs in-process, three ways: a pooled instance reset to its snapshot (what
 * the sidecar does), a fresh instance per call (what a host without snapshots does), and one
 * instance reused without any reset (the floor, but state leaks between steps).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InvocationBenchmark {

    @Param({"echo", "greet"})
    public String module;

    private WapcModule compiled;
    private InstanceLimits limits;
    private InstancePool pool;
    private WapcInstance dirty;
    private String operation;
    private GuestOutput output;

    @Setup(Level.Trial)
    public void compile() throws InvalidModuleException, GuestCallException {
        byte[] bytes = BenchModules.bytes(module);
        compiled = WapcModule.compile(bytes, Digests.sha256(bytes));
        limits = InstanceLimits.ofMemory(64L << 20);
        pool = compiled.pool(limits);
        operation = BenchModules.operation(module);
        output = GuestOutput.keeping(5);
        dirty = WapcInstance.create(compiled, limits, output);
    }

    @Benchmark
    public byte[] snapshotRestoreAndCall() throws GuestCallException {
        WapcInstance instance = pool.borrow(output);
        try {
            return instance.call(operation, BenchModules.STEP_PAYLOAD, HostBindings.NONE, output);
        } finally {
            pool.giveBack(instance);
        }
    }

    @Benchmark
    public byte[] freshInstanceAndCall() throws GuestCallException {
        return WapcInstance.create(compiled, limits, output)
                .call(operation, BenchModules.STEP_PAYLOAD, HostBindings.NONE, output);
    }

    @Benchmark
    public byte[] dirtyInstanceCall() throws GuestCallException {
        return dirty.call(operation, BenchModules.STEP_PAYLOAD, HostBindings.NONE, output);
    }
}
