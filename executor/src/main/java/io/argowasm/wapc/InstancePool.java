package io.argowasm.wapc;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Initialised instances of one module with one set of limits, ready to call. Each instance is used
 * by one thread at a time; after a call it is reset to its post-initialisation snapshot before it
 * is offered again, so no state leaks from one invocation into the next.
 */
public final class InstancePool {

    private final WapcModule module;
    private final InstanceLimits limits;
    private final int maxIdle;
    private final ConcurrentLinkedDeque<WapcInstance> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private volatile boolean closed;

    InstancePool(WapcModule module, InstanceLimits limits, int maxIdle) {
        this.module = module;
        this.limits = limits;
        this.maxIdle = maxIdle;
    }

    /**
     * Takes an idle instance, or makes a new one (running its init hooks, whose output goes to
     * {@code output}).
     */
    public WapcInstance borrow(GuestOutput output) throws GuestCallException {
        WapcInstance instance = idle.pollFirst();
        if (instance != null) {
            idleCount.decrementAndGet();
            return instance;
        }
        created.incrementAndGet();
        return WapcInstance.create(module, limits, output).withSnapshot();
    }

    /**
     * Returns an instance after its call: reset to its snapshot and kept if it is still sound, runs
     * the code new instances of its module run (not the interpreter once the module is compiled)
     * and the pool has room; dropped otherwise.
     */
    public void giveBack(WapcInstance instance) {
        if (closed || instance.machineFactory() != module.machineFactory() || !instance.reset()) {
            instance.close();
            return;
        }
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.addFirst(instance);
            if (closed) {
                dropIdle();
            }
        } else {
            idleCount.decrementAndGet();
            instance.close();
        }
    }

    /** Drops every idle instance, giving its memory back to the budget. */
    void dropIdle() {
        WapcInstance instance;
        while ((instance = idle.pollLast()) != null) {
            idleCount.decrementAndGet();
            instance.close();
        }
    }

    /** Drops the idle instances now and every instance given back later. */
    void close() {
        closed = true;
        dropIdle();
    }

    /** How many instances this pool has created, for tests and metrics. */
    public int created() {
        return created.get();
    }
}
