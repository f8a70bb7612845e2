package io.argowasm.budget;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap the sidecar lets steps use, charged before anything large is allocated: guest linear
 * memory and tables, instance snapshots, compiled modules, request bodies, guest responses and kept
 * results. What is charged is a close estimate of the heap it costs; the reserve left outside the
 * budget covers everything else, so no request, alone or many at once, drives the JVM out of heap.
 *
 * <p>When a charge does not fit, idle caches (pooled instances, compiled modules nobody uses) are
 * asked to give memory back before the charge is refused.
 */
public final class MemoryBudget {

    /** Something that holds memory it can drop on demand, such as idle pooled instances. */
    @FunctionalInterface
    public interface Reclaimer {
        /**
         * Drops cached things until about {@code wanted} bytes are released (through {@link
         * #release}), or nothing is left to drop.
         */
        void reclaim(long wanted);
    }

    private static final long MIN_RESERVE = 96L << 20;

    private final long capacity;
    private final List<Reclaimer> reclaimers = new CopyOnWriteArrayList<>();
    private final List<Reclaimer> lastResort = new CopyOnWriteArrayList<>();
    private final AtomicLong refusals = new AtomicLong();
    private long used;
    private long peak;

    private MemoryBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("a memory budget must be positive");
        }
        this.capacity = capacity;
    }

    /** A budget of the given size. */
    public static MemoryBudget of(long capacityBytes) {
        return new MemoryBudget(capacityBytes);
    }

    /**
     * The budget derived from the JVM's maximum heap: all of it but a reserve of a quarter (at
     * least 96 MiB) for the server, the parsers and the collector's headroom.
     */
    public static MemoryBudget fromHeap() {
        return new MemoryBudget(fromHeap(Runtime.getRuntime().maxMemory()));
    }

    /** The budget {@link #fromHeap()} derives from a maximum heap of the given size. */
    public static long fromHeap(long maxHeapBytes) {
        long reserve = Math.max(MIN_RESERVE, maxHeapBytes / 4);
        return Math.max(maxHeapBytes - reserve, maxHeapBytes / 4);
    }

    /** Registers a cache that can give memory back when a charge does not fit. */
    public void addReclaimer(Reclaimer reclaimer) {
        reclaimers.add(reclaimer);
    }

    /**
     * Registers a cache whose contents are dear to rebuild (compiled modules): asked only after
     * every cache registered with {@link #addReclaimer} gave back what it could.
     */
    public void addLastResortReclaimer(Reclaimer reclaimer) {
        lastResort.add(reclaimer);
    }

    /** Forgets a cache registered with {@link #addReclaimer}. */
    public void removeReclaimer(Reclaimer reclaimer) {
        reclaimers.remove(reclaimer);
    }

    /** A budget without a limit, for tools and tests that run one step at a time. */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE / 2);
    }

    /**
     * Charges {@code bytes}, asking the caches to give memory back first if they do not fit.
     *
     * @param what names what is charged, for the message when it does not fit
     * @throws OutOfBudgetException when the bytes do not fit even after reclaiming
     */
    public void charge(long bytes, String what) throws OutOfBudgetException {
        if (bytes <= 0) {
            return;
        }
        if (bytes > capacity) {
            refusals.incrementAndGet();
            throw OutOfBudgetException.of(what, bytes, capacity, used(), false);
        }
        if (tryCharge(bytes)) {
            return;
        }
        for (List<Reclaimer> group : List.of(reclaimers, lastResort)) {
            for (Reclaimer reclaimer : group) {
                reclaimer.reclaim(bytes);
                if (tryCharge(bytes)) {
                    return;
                }
            }
        }
        refusals.incrementAndGet();
        throw OutOfBudgetException.of(what, bytes, capacity, used(), true);
    }

    /** Charges without asking anything back, or returns false when the bytes do not fit. */
    public synchronized boolean tryCharge(long bytes) {
        if (bytes <= 0) {
            return true;
        }
        if (used + bytes > capacity) {
            return false;
        }
        used += bytes;
        peak = Math.max(peak, used);
        return true;
    }

    /**
     * Charges bytes that are already allocated and must not be dropped (a finished step's result),
     * even past the capacity; later charges then wait until they are released.
     */
    public synchronized void chargeAnyway(long bytes) {
        if (bytes > 0) {
            used += bytes;
            peak = Math.max(peak, used);
        }
    }

    /** Gives back bytes charged earlier. */
    public synchronized void release(long bytes) {
        if (bytes > 0) {
            used = Math.max(0, used - bytes);
        }
    }

    public long capacity() {
        return capacity;
    }

    public synchronized long used() {
        return used;
    }

    /** How many charges {@link #charge} refused since start-up. */
    public long refusals() {
        return refusals.get();
    }

    /** The most that was charged at once since start-up. */
    public synchronized long peak() {
        return peak;
    }
}
