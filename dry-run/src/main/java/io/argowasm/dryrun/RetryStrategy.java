package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import tools.jackson.databind.JsonNode;

/**
 * A leaf template's {@code retryStrategy}: how many times to try again, and after which phases
 * ({@code retryPolicy}: OnFailure and Always retry Failed and Error nodes, OnError and
 * OnTransientError only Error nodes). Backoff is not waited for in a dry run.
 */
record RetryStrategy(int limit, String policy) {

    static RetryStrategy of(JsonNode template, Scope scope) {
        JsonNode retry = template.path("retryStrategy");
        if (retry.isMissingNode()) {
            return null;
        }
        String limitText = Substitution.apply(Scalars.text(retry.path("limit")), scope);
        int limit;
        try {
            limit = limitText.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(limitText.trim());
        } catch (NumberFormatException e) {
            throw new NodeErrorException(
                    "retryStrategy.limit '%s' is not a number".formatted(limitText));
        }
        if (limit == Integer.MAX_VALUE) {
            throw new NodeErrorException(
                    "retryStrategy without limit retries forever; give retryStrategy.limit for a"
                            + " dry run");
        }
        return new RetryStrategy(limit, retry.path("retryPolicy").asString("OnFailure"));
    }

    boolean retries(NodePhase phase) {
        return switch (policy) {
            case "OnError", "OnTransientError" -> phase == NodePhase.Error;
            default -> phase.failed();
        };
    }
}
