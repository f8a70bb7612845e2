package io.argowasm.artifacts.kubernetes;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * An Argo ArtifactRepository object and where it was found.
 *
 * @param repository the ArtifactRepository ({@code {s3: {...}}, ...})
 * @param source where it came from, for messages: {@code ConfigMap argo/artifact-repositories key
 *     'my-key'}
 * @param workflowCreated the Workflow's creation time, or {@code null} when it could not be read
 */
record FoundRepository(JsonNode repository, String source, Instant workflowCreated) {}
