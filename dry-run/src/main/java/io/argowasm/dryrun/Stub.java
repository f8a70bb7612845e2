package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.nio.file.Path;
import java.util.Map;

/**
 * The outputs a user supplies for a template dry-run cannot execute (container, script, resource,
 * http): the node gets them as if the template had run.
 *
 * @param artifacts output artifact name to the local file or directory holding its content
 */
public record Stub(
        String template,
        Map<String, String> parameters,
        Map<String, Path> artifacts,
        String result,
        NodePhase phase,
        String message) {

    public Stub {
        parameters = Map.copyOf(parameters);
        artifacts = Map.copyOf(artifacts);
    }
}
