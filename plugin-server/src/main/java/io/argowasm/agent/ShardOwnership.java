package io.argowasm.agent;

import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/** Which shards of task sets this replica serves right now. */
public interface ShardOwnership extends AutoCloseable {

    /** Whether this replica may start work for the shard now. */
    boolean owns(int shard);

    /**
     * Starts taking shards.
     *
     * @param gained called for each shard that becomes this replica's
     * @param busy whether this replica runs tasks of a shard: idle ones are given up first
     */
    void start(IntConsumer gained, IntPredicate busy);

    /** Gives every shard back, so other replicas take them at once. */
    @Override
    void close();

    /** One replica alone: every shard is its own. */
    static ShardOwnership all() {
        return new ShardOwnership() {
            @Override
            public boolean owns(int shard) {
                return true;
            }

            @Override
            public void start(IntConsumer gained, IntPredicate busy) {}

            @Override
            public void close() {}
        };
    }
}
