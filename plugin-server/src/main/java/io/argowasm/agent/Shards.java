package io.argowasm.agent;

import java.nio.charset.StandardCharsets;

/**
 * Which of a fixed number of shards a task set belongs to: 64-bit FNV-1a of its uid, mapped onto
 * equal ranges, the mapping Kubernetes' sharded list and watch (KEP-5866 {@code shardRange}) uses,
 * so an API server that filters by shard can one day take over.
 */
final class Shards {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Shards() {}

    static int of(String uid, int count) {
        long hash = FNV_OFFSET;
        for (byte b : uid.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        // The high bits choose the range: [0, 2^64) cut into `count` equal parts.
        return (int) Math.multiplyHigh(hash, count) + (hash < 0 ? count : 0);
    }
}
