package io.argowasm.exec;

import java.time.Duration;

/**
 * Defaults and maxima for what one invocation may use, set on the sidecar.
 *
 * @param defaultTimeout wall time of an invocation whose template gives no {@code limits.timeout}
 * @param maxTimeout the most a template may ask for
 * @param defaultMemoryBytes the guest memory cap when the template gives no {@code limits.memory}
 * @param maxMemoryBytes the most a template may ask for
 */
public record ExecutionLimits(
        Duration defaultTimeout,
        Duration maxTimeout,
        long defaultMemoryBytes,
        long maxMemoryBytes) {

    public static final long PAGE_BYTES = 64 * 1024;

    public static final ExecutionLimits DEFAULTS =
            new ExecutionLimits(Duration.ofSeconds(60), Duration.ofHours(1), 64L << 20, 1L << 30);

    public ExecutionLimits {
        if (defaultTimeout.compareTo(maxTimeout) > 0) {
            throw new IllegalArgumentException("the default timeout exceeds the maximum timeout");
        }
        if (defaultMemoryBytes > maxMemoryBytes) {
            throw new IllegalArgumentException("the default memory exceeds the maximum memory");
        }
    }
}
