package io.argowasm.agent;

import java.time.Duration;
import java.util.List;

/**
 * How the agent behaves.
 *
 * @param namespaces the namespaces it serves; empty for all
 * @param instanceId the controller's instance id, or null when the controller has none
 * @param failOtherPlugins fail tasks of other plugins instead of leaving them to another agent
 * @param shards how many shards task sets are divided into; the same on every replica
 * @param workers threads that reconcile task sets
 * @param writers threads that write results
 * @param requeue when a step refused for lack of memory is tried again
 * @param resync how often the informer hands every task set in again
 */
public record AgentSettings(
        List<String> namespaces,
        String instanceId,
        boolean failOtherPlugins,
        int shards,
        int workers,
        int writers,
        Duration requeue,
        Duration resync) {

    public AgentSettings {
        namespaces = List.copyOf(namespaces);
        if (shards < 1) {
            throw new IllegalArgumentException(
                    "%s must be at least 1, not %d".formatted(AgentFlags.SHARDS, shards));
        }
    }

    /** Defaults for one replica serving every namespace. */
    public static AgentSettings defaults() {
        return new AgentSettings(
                List.of(), null, false, 32, 4, 8, Duration.ofSeconds(5), Duration.ofMinutes(5));
    }

    public AgentSettings withNamespaces(List<String> value) {
        return new AgentSettings(
                value, instanceId, failOtherPlugins, shards, workers, writers, requeue, resync);
    }

    public AgentSettings withFailOtherPlugins(boolean value) {
        return new AgentSettings(
                namespaces, instanceId, value, shards, workers, writers, requeue, resync);
    }

    public AgentSettings withInstanceId(String value) {
        return new AgentSettings(
                namespaces, value, failOtherPlugins, shards, workers, writers, requeue, resync);
    }
}
