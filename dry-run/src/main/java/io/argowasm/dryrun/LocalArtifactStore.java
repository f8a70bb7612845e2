package io.argowasm.dryrun;

import io.argowasm.artifacts.ArtifactReference;
import io.argowasm.artifacts.ArtifactSpec;
import io.argowasm.artifacts.ArtifactWorkspace;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.FileTrees;
import io.argowasm.artifacts.WorkflowRef;
import io.argowasm.artifacts.local.DirectoryArtifactRepository;
import io.argowasm.artifacts.local.FixedRepositoryResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The directory that stands in for the workflow's artifact repository during a dry run. Stubbed
 * outputs are stored in it as Argo's executor would store them ({@code <name>.tgz} unless {@code
 * archive: none}), so the steps reading them find what they would find in a cluster.
 */
public final class LocalArtifactStore {

    private final DirectoryArtifactRepository repository;
    private final ArtifactWorkspaces workspaces;

    public LocalArtifactStore(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create artifact directory %s".formatted(root), e);
        }
        this.repository = new DirectoryArtifactRepository(root);
        this.workspaces =
                ArtifactWorkspaces.builder(FixedRepositoryResolver.of(repository)).build();
    }

    /** Workspaces over this directory, for the executor's wasm steps to stage artifacts in. */
    public ArtifactWorkspaces workspaces() {
        return workspaces;
    }

    public Path root() {
        return repository.root();
    }

    /** The local file of a key-only artifact, for messages and the final tree. */
    public Path fileOf(String key) {
        return repository.root().resolve(key);
    }

    /**
     * Stores a file or directory as the output artifact a template declares.
     *
     * @return the artifact as a reply carries it: {@code {name, path, s3: {key}}}
     */
    ObjectNode store(WorkflowRef workflow, String nodeId, JsonNode declared, Path content) {
        try (ArtifactWorkspace workspace = workspaces.open(workflow, nodeId)) {
            String name = declared.path("name").asString();
            Path target = workspace.outputPath(name);
            FileTrees.copy(content, target);
            ArtifactReference reference =
                    workspace
                            .upload(ArtifactSpec.fromJson(declared))
                            .orElseThrow(
                                    () ->
                                            new NodeErrorException(
                                                    "output artifact '%s' was not stored"
                                                            .formatted(name)));
            return reference.toJson();
        } catch (IOException e) {
            throw new NodeErrorException(
                    "cannot store stub artifact from %s: %s".formatted(content, e));
        }
    }
}
