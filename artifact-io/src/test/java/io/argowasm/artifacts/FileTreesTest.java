package io.argowasm.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir Path dir;

    @Test
    void deleteRemovesADirectoryWithEverythingBelowIt() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
        Files.writeString(tree.resolve("file.txt"), "x");
        Files.writeString(dir.resolve("tree/top.txt"), "y");

        FileTrees.delete(dir.resolve("tree"));

        assertThat(dir.resolve("tree")).doesNotExist();
    }

    @Test
    void deleteRemovesALinkButNotWhatItPointsTo() throws IOException {
        Path outside = Files.writeString(dir.resolve("outside.txt"), "keep");
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.createSymbolicLink(tree.resolve("link"), outside);

        FileTrees.delete(tree);

        assertThat(tree).doesNotExist();
        assertThat(outside).hasContent("keep");
    }

    @Test
    void deletingWhatIsAlreadyGoneIsNoError() throws IOException {
        FileTrees.delete(dir.resolve("never-there"));

        assertThat(dir.resolve("never-there")).doesNotExist();
    }
}
