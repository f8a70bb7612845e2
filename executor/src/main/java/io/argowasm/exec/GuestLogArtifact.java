package io.argowasm.exec;

import io.argowasm.argo.Artifact;
import io.argowasm.argo.NodePhase;
import io.argowasm.argo.NodeResult;
import io.argowasm.argo.Outputs;
import io.argowasm.artifacts.ArchiveStrategy;
import io.argowasm.artifacts.ArtifactReference;
import io.argowasm.artifacts.ArtifactSpec;
import io.argowasm.artifacts.ArtifactWorkspace;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.WorkflowRef;
import io.argowasm.metrics.PluginMetrics;
import io.argowasm.metrics.PluginMetrics.Stage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores what a guest printed during a step as the output artifact {@value #NAME} (one text file,
 * not archived) in the workflow's artifact repository, and lists it in the node's outputs. Argo's
 * UI shows no logs for plugin nodes and deletes the agent pod with the workflow; an output artifact
 * stays, viewable from the node. A failure to store it is said in the node's message and changes
 * nothing else: the step's result stands.
 */
final class GuestLogArtifact {

    /** The output artifact's name; a template may not declare an output of its own by it. */
    static final String NAME = "guest-logs";

    private static final Logger log = LoggerFactory.getLogger(GuestLogArtifact.class);

    private final JsonMapper json;
    private final ArtifactWorkspaces workspaces;
    private final PluginMetrics metrics;

    /**
     * @param workspaces where the text is staged and stored; null when the plugin has no artifact
     *     repository
     */
    GuestLogArtifact(JsonMapper json, ArtifactWorkspaces workspaces, PluginMetrics metrics) {
        this.json = json;
        this.workspaces = workspaces;
        this.metrics = metrics;
    }

    /**
     * The node with the guest's output stored and listed in its outputs. Steps whose module never
     * loaded printed nothing and get nothing; postponed steps ({@code Pending}) run again and store
     * their output then.
     */
    NodeResult attach(Invocation invocation, NodeResult node) {
        if (node == null
                || (node.phase() != NodePhase.Succeeded && node.phase() != NodePhase.Failed)
                || invocation.moduleSha256() == null) {
            return node;
        }
        if (workspaces == null) {
            return noted(node, "this plugin runs without an artifact repository");
        }
        long start = System.nanoTime();
        byte[] text = invocation.output().transcript();
        StepContext step = invocation.step();
        try (ArtifactWorkspace workspace =
                workspaces.open(
                        new WorkflowRef(step.workflow(), step.namespace(), step.uid()),
                        invocation.key().shortId())) {
            try (OutputStream out = workspace.appendTo(NAME, workspace.outputPath(NAME))) {
                out.write(text == null ? new byte[0] : text);
            }
            ArtifactReference stored =
                    workspace
                            .upload(
                                    ArtifactSpec.output(NAME, null)
                                            .withArchive(ArchiveStrategy.NONE))
                            .orElseThrow();
            Artifact artifact = json.treeToValue(stored.toJson(), Artifact.class);
            long end = System.nanoTime();
            metrics.stage(Stage.ARTIFACTS_OUT, end - start);
            metrics.artifactBytes(false, text == null ? 0 : text.length);
            invocation.span().stage(Stage.ARTIFACTS_OUT.spanName(), start, end);
            return withArtifact(node, artifact);
        } catch (IOException | RuntimeException e) {
            String reason =
                    e instanceof RuntimeException r ? StepArtifacts.explained(r) : e.toString();
            log.warn("[{}] guest output not stored: {}", step.describe(), reason);
            return noted(node, reason);
        }
    }

    private static NodeResult withArtifact(NodeResult node, Artifact artifact) {
        Outputs outputs = node.outputs() == null ? new Outputs(null, null, null) : node.outputs();
        List<Artifact> artifacts = new ArrayList<>(outputs.artifacts());
        artifacts.add(artifact);
        return new NodeResult(
                node.phase(),
                node.message(),
                new Outputs(outputs.parameters(), artifacts, outputs.result()));
    }

    private static NodeResult noted(NodeResult node, String why) {
        String note =
                "the guest's output was not stored as output artifact '%s' (plugin.wasm.logs): %s"
                        .formatted(NAME, why);
        String message =
                node.message() == null || node.message().isEmpty()
                        ? note
                        : "%s; %s".formatted(node.message(), note);
        return new NodeResult(node.phase(), message, node.outputs());
    }
}
