package io.argowasm.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.artifacts.local.DirectoryArtifactRepository;
import io.argowasm.artifacts.local.FixedRepositoryResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a process killed mid-step left behind is removed, and nothing else is. */
class LeftoverWorkspacesTest {
    private static final WorkflowRef WORKFLOW = new WorkflowRef("etl-7x2kq", "argo", "uid-1");

    @TempDir Path dir;

    @Test
    void workspacesOfAGoneProcessAreRemovedWithEverythingInThem() throws IOException {
        Path root = Files.createDirectories(dir.resolve("workspaces"));
        // No process has this pid (Linux allows at most 2^22), so its workspaces are leftovers.
        Path gone = Files.createDirectories(root.resolve("step-99999999-1700000000000-42/in/x"));
        Files.writeString(gone.resolve("data"), "left behind");
        // The same pid as this process but another start time: a restarted container's sidecar.
        long self = ProcessHandle.current().pid();
        Path earlier = Files.createDirectories(root.resolve("step-%d-1-7".formatted(self)));

        assertThat(ArtifactWorkspaces.removeLeftovers(root)).isEqualTo(2);

        assertThat(children(root)).isEmpty();
        assertThat(gone).doesNotExist();
        assertThat(earlier).doesNotExist();
    }

    @Test
    void workspacesOfARunningProcessAndOtherFilesAreKept() throws IOException {
        Path root = dir.resolve("workspaces");
        ArtifactWorkspace open =
                ArtifactWorkspaces.builder(
                                FixedRepositoryResolver.of(
                                        new DirectoryArtifactRepository(dir.resolve("store"))))
                        .temporaryRoot(root)
                        .build()
                        .open(WORKFLOW, "inv-1");
        Files.writeString(open.outputPath("o"), "in use");
        Path notAWorkspace = Files.createDirectories(root.resolve("step-something-else"));
        Path aFile =
                Files.writeString(root.resolve("step-99999999-1-1"), "a file, not a workspace");

        try (open) {
            assertThat(ArtifactWorkspaces.removeLeftovers(root)).isZero();

            assertThat(open.outputPath("o")).hasContent("in use");
            assertThat(notAWorkspace).isDirectory();
            assertThat(aFile).isRegularFile();
        }
    }

    @Test
    void linksAreNeitherFollowedNorRemovedAsWorkspaces() throws IOException {
        Path root = Files.createDirectories(dir.resolve("workspaces"));
        Path precious = Files.createDirectories(dir.resolve("precious"));
        Files.writeString(precious.resolve("keep.txt"), "keep");
        Files.createSymbolicLink(root.resolve("step-99999999-1-1"), precious);
        Path leftover = Files.createDirectories(root.resolve("step-99999999-1-2"));
        Files.createSymbolicLink(leftover.resolve("out"), precious);
        Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked-root"), root);

        assertThat(ArtifactWorkspaces.removeLeftovers(linkedRoot)).isZero();
        assertThat(ArtifactWorkspaces.removeLeftovers(root)).isEqualTo(1);

        assertThat(leftover).doesNotExist();
        assertThat(root.resolve("step-99999999-1-1")).isSymbolicLink();
        assertThat(precious.resolve("keep.txt")).hasContent("keep");
    }

    @Test
    void aMissingRootHasNothingToRemove() {
        assertThat(ArtifactWorkspaces.removeLeftovers(dir.resolve("never-created"))).isZero();
    }

    @Test
    void workspacesAreCreatedUnderTheRootNamedForTheSweep() {
        Path root = dir.resolve("workspaces");
        try (ArtifactWorkspace open =
                ArtifactWorkspaces.builder(
                                FixedRepositoryResolver.of(
                                        new DirectoryArtifactRepository(dir.resolve("store"))))
                        .temporaryRoot(root)
                        .build()
                        .open(WORKFLOW, "inv-1")) {
            assertThat(children(root))
                    .singleElement()
                    .satisfies(
                            p ->
                                    assertThat(p.getFileName().toString())
                                            .matches(
                                                    "step-%d-[0-9]+-[0-9]+"
                                                            .formatted(
                                                                    ProcessHandle.current()
                                                                            .pid())));
        }
        assertThat(children(root)).isEmpty();
        assertThat(ArtifactWorkspaces.defaultRoot())
                .endsWithRaw(Path.of("wasm-executor-plugin", "workspaces"));
    }

    private static List<Path> children(Path root) {
        try (Stream<Path> list = Files.list(root)) {
            return list.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
