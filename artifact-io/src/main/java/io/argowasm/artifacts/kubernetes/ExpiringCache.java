package io.argowasm.artifacts.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Values kept for a fixed time after loading; failures are never kept. */
final class ExpiringCache<K, V> {
    private static final int PRUNE_ABOVE = 1024;

    private record Entry<V>(V value, Instant expires) {}

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    ExpiringCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    V get(K key, Supplier<V> load) {
        Instant now = clock.instant();
        Entry<V> entry = entries.get(key);
        if (entry != null && now.isBefore(entry.expires())) {
            return entry.value();
        }
        V value = load.get();
        if (!ttl.isZero()) {
            if (entries.size() > PRUNE_ABOVE) {
                entries.values().removeIf(old -> !now.isBefore(old.expires()));
            }
            entries.put(key, new Entry<>(value, now.plus(ttl)));
        }
        return value;
    }
}
