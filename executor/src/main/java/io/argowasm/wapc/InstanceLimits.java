package io.argowasm.wapc;

/**
 * What one instance may use.
 *
 * @param memoryBytes cap on the guest's linear memory; {@code memory.grow} past it returns -1
 * @param maxResponseBytes the largest response a guest may hand back
 * @param maxHostPayloadBytes the largest payload a guest may pass to one host call
 */
public record InstanceLimits(long memoryBytes, int maxResponseBytes, int maxHostPayloadBytes) {

    public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 << 20;
    public static final int DEFAULT_MAX_HOST_PAYLOAD_BYTES = 16 << 20;

    public static InstanceLimits ofMemory(long memoryBytes) {
        return new InstanceLimits(
                memoryBytes, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_HOST_PAYLOAD_BYTES);
    }
}
