package io.argowasm.cli;

import io.argowasm.artifacts.ArchiveStrategy;
import io.argowasm.artifacts.ArtifactSpec;
import io.argowasm.artifacts.ArtifactWorkspace;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.FileTrees;
import io.argowasm.artifacts.StagedArtifact;
import io.argowasm.artifacts.WorkflowRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The files {@code run} hands to its step and takes from it: a local file or directory stored in
 * the repository as Argo's executor would store an output (a directory as {@code .tgz}, a file as
 * it is), and output artifacts fetched back and unpacked into a directory.
 */
final class RunArtifacts {

    private final ArtifactWorkspaces workspaces;
    private final WorkflowRef workflow;

    RunArtifacts(ArtifactWorkspaces workspaces, WorkflowRef workflow) {
        this.workspaces = workspaces;
        this.workflow = workflow;
    }

    /**
     * Stores {@code content} and points the input artifact {@code declared} at it, replacing any
     * location it had.
     *
     * @throws IllegalArgumentException when the input keeps archives as they are ({@code archive:
     *     none}) and {@code content} is a directory
     */
    void supply(ObjectNode declared, Path content) {
        String name = declared.path("name").asString();
        boolean directory = Files.isDirectory(content);
        if (directory && declared.path("archive").has("none")) {
            throw new IllegalArgumentException(
                    ("%s %s=%s: the input declares archive: none, which takes a single file,"
                                    + " not a directory")
                            .formatted(Flags.ARTIFACT, name, content));
        }
        try (ArtifactWorkspace workspace = workspaces.open(workflow, "run-inputs")) {
            FileTrees.copy(content, workspace.outputPath(name));
            ArtifactSpec output =
                    ArtifactSpec.output(name, null)
                            .withArchive(
                                    directory ? ArchiveStrategy.DEFAULT : ArchiveStrategy.NONE);
            String key =
                    workspace
                            .upload(output)
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "input artifact '%s' was not stored"
                                                            .formatted(name)))
                            .key();
            List.of("s3", "raw", "http", "artifactory", "azure", "gcs", "git", "hdfs", "oss")
                    .forEach(declared::remove);
            declared.putObject("s3").put("key", key);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "%s %s=%s: cannot read it: %s".formatted(Flags.ARTIFACT, name, content, e), e);
        }
    }

    /**
     * Copies every output artifact of a reply into {@code directory}, each named after its
     * artifact, unpacked when it was stored as a {@code .tgz}; an earlier file or directory of that
     * name is replaced.
     *
     * @return the paths written
     */
    List<Path> collect(JsonNode replyArtifacts, Path directory) {
        List<Path> written = new ArrayList<>();
        if (replyArtifacts == null || replyArtifacts.isEmpty()) {
            return written;
        }
        try (ArtifactWorkspace workspace = workspaces.open(workflow, "run-outputs")) {
            Files.createDirectories(directory);
            for (JsonNode artifact : replyArtifacts) {
                StagedArtifact staged =
                        workspace.download(ArtifactSpec.fromJson(artifact)).orElseThrow();
                Path target = directory.resolve(staged.name());
                FileTrees.delete(target);
                FileTrees.copy(staged.path(), target);
                written.add(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write output artifacts to %s %s: %s"
                            .formatted(Flags.OUTPUT_DIR, directory, e),
                    e);
        }
        return written;
    }
}
