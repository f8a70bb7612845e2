package io.argowasm.exec;

import io.argowasm.argo.Artifact;
import io.argowasm.argo.Template;
import io.argowasm.artifacts.ArtifactException;
import io.argowasm.artifacts.ArtifactLimitException;
import io.argowasm.artifacts.ArtifactReference;
import io.argowasm.artifacts.ArtifactSpec;
import io.argowasm.artifacts.ArtifactWorkspace;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.StagedArtifact;
import io.argowasm.artifacts.WorkflowRef;
import io.argowasm.metrics.PluginMetrics.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The artifacts of one invocation: inputs staged before the call, the guest's host-call binding
 * during it, outputs uploaded after it. Closing deletes every local file; a failure while staging
 * deletes them before it is reported.
 */
final class StepArtifacts implements AutoCloseable {

    private final ArtifactWorkspace workspace;
    private final Map<String, StagedArtifact> inputs;
    private final List<ArtifactSpec> outputs;
    private final ArtifactBinding binding;
    private long uploadedBytes;

    private StepArtifacts(
            JsonMapper json,
            ArtifactWorkspace workspace,
            Map<String, StagedArtifact> inputs,
            Set<String> absent,
            List<ArtifactSpec> outputs) {
        this.workspace = workspace;
        this.inputs = inputs;
        this.outputs = outputs;
        Set<String> outputNames = new LinkedHashSet<>();
        outputs.forEach(o -> outputNames.add(o.name()));
        this.binding = new ArtifactBinding(json, workspace, inputs, outputNames, absent);
    }

    /**
     * Downloads the template's input artifacts into a fresh workspace.
     *
     * @throws StepFailure naming the artifact when one cannot be staged
     */
    static StepArtifacts stage(
            JsonMapper json,
            ArtifactWorkspaces workspaces,
            StepContext step,
            String invocationId,
            Template template)
            throws StepFailure {
        List<ArtifactSpec> inputSpecs = specs(template.inputsOrEmpty().artifacts(), "input");
        List<ArtifactSpec> outputSpecs = specs(template.outputsOrEmpty().artifacts(), "output");
        ArtifactWorkspace workspace;
        try {
            workspace =
                    workspaces.open(
                            new WorkflowRef(step.workflow(), step.namespace(), step.uid()),
                            invocationId);
        } catch (ArtifactException e) {
            throw StepFailure.beforeTheModule(e.getMessage(), e);
        }
        Map<String, StagedArtifact> staged = new LinkedHashMap<>();
        Set<String> absent = new LinkedHashSet<>();
        try {
            for (ArtifactSpec input : inputSpecs) {
                Optional<StagedArtifact> local = workspace.download(input);
                if (local.isPresent()) {
                    staged.put(input.name(), local.get());
                } else {
                    absent.add(input.name());
                }
            }
            return new StepArtifacts(json, workspace, staged, absent, outputSpecs);
        } catch (ArtifactException | UncheckedIOException | IllegalArgumentException e) {
            workspace.close();
            throw StepFailure.beforeTheModule(explained(e), e);
        } catch (RuntimeException | Error e) {
            workspace.close();
            throw e;
        }
    }

    /** The message of an artifact failure, with the flag that raises the limit it hit, if any. */
    static String explained(RuntimeException failure) {
        if (failure instanceof ArtifactLimitException limit) {
            return switch (limit.limit()) {
                case DISK_BUDGET ->
                        "%s; raise %s if the step needs more"
                                .formatted(limit.getMessage(), ExecutorFlags.MAX_ARTIFACT_DISK);
                case COMPRESSION_RATIO ->
                        "%s; raise %s if the archive is genuine"
                                .formatted(limit.getMessage(), ExecutorFlags.MAX_ARCHIVE_RATIO);
            };
        }
        return failure.getMessage();
    }

    private static List<ArtifactSpec> specs(List<Artifact> artifacts, String kind)
            throws StepFailure {
        List<ArtifactSpec> specs = new ArrayList<>();
        for (Artifact artifact : artifacts) {
            try {
                specs.add(ArtifactSpec.fromJson(artifact.json()));
            } catch (IllegalArgumentException e) {
                throw StepFailure.beforeTheModule(
                        "invalid %s artifact: %s".formatted(kind, e.getMessage()), e);
            }
        }
        return specs;
    }

    /** What the guest's payload says about its artifacts. */
    void describeTo(ObjectNode payloadArtifacts) {
        inputs.forEach(
                (name, staged) -> {
                    ObjectNode a = payloadArtifacts.putObject(name);
                    a.put("path", staged.templatePath());
                    a.put("size", staged.size());
                    if (staged.isDirectory()) {
                        staged.entries().forEach(a.putArray("entries")::add);
                    }
                });
        for (ArtifactSpec output : outputs) {
            payloadArtifacts
                    .putObject(output.name())
                    .put("path", output.path())
                    .put("output", true);
        }
    }

    ArtifactBinding binding() {
        return binding;
    }

    /** The staged inputs, by name. */
    Map<String, StagedArtifact> inputs() {
        return inputs;
    }

    /** The declared outputs. */
    List<ArtifactSpec> outputs() {
        return outputs;
    }

    /** Where output files are written before {@link #upload}. */
    ArtifactWorkspace workspace() {
        return workspace;
    }

    /** Bytes of the input artifacts staged for the guest. */
    long stagedBytes() {
        long bytes = 0;
        for (StagedArtifact staged : inputs.values()) {
            bytes += staged.size();
        }
        return bytes;
    }

    /** Bytes the guest wrote for its outputs, as found by {@link #upload}. */
    long uploadedBytes() {
        return uploadedBytes;
    }

    /**
     * Uploads what the guest wrote for each declared output.
     *
     * @return the key-only artifacts for the reply
     * @throws StepFailure naming the artifact when one is missing or cannot be uploaded
     */
    List<Artifact> upload() throws StepFailure {
        try {
            binding.close();
        } catch (IOException e) {
            throw StepFailure.because(
                    Reason.ARTIFACT,
                    "the guest's output artifacts could not be written: %s"
                            .formatted(e.getMessage()),
                    e);
        }
        Optional<ArtifactLimitException> refused = binding.refusedWrite();
        if (refused.isPresent()) {
            // The guest was told, but may have gone on and answered success: the output is cut.
            throw StepFailure.because(Reason.ARTIFACT, explained(refused.get()), refused.get());
        }
        // What the workspace holds beyond the staged inputs is what the guest wrote.
        uploadedBytes = Math.max(0, workspace.diskBytesUsed() - stagedBytes());
        List<Artifact> uploaded = new ArrayList<>();
        for (ArtifactSpec output : outputs) {
            try {
                Optional<ArtifactReference> reference = workspace.upload(output);
                if (reference.isPresent()) {
                    uploaded.add(new Artifact(reference.get().toJson()));
                }
            } catch (ArtifactException | UncheckedIOException e) {
                throw StepFailure.because(Reason.ARTIFACT, explained(e), e);
            }
        }
        return uploaded;
    }

    @Override
    public void close() {
        try {
            binding.close();
        } catch (IOException e) {
            // The workspace is deleted next; nothing of it is kept.
        }
        workspace.close();
    }
}
