package io.argowasm.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostileArchiveTest {
    @TempDir Path dir;

    private Path workspace;
    private Path outside;
    private final ArchiveUnpacker unpacker = new ArchiveUnpacker(new ArchiveLimits(1 << 20, 50));

    @BeforeEach
    void layout() throws IOException {
        workspace = Files.createDirectories(dir.resolve("workspace/in"));
        outside = dir.resolve("outside");
    }

    private void assertRefused(TarGzBuilder archive, String reason) throws IOException {
        Path tgz = archive.writeTo(dir.resolve("hostile.tgz"));
        assertThatThrownBy(() -> unpacker.unpack("evil", tgz, workspace.resolve("evil")))
                .isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("input artifact 'evil'")
                .hasMessageContaining(reason);
        assertThat(outside).doesNotExist();
    }

    @Test
    void parentDirectoryTraversalIsRefused() throws IOException {
        assertRefused(
                new TarGzBuilder().file("ok.txt", "x").file("../../outside", "pwned"),
                "'../../outside' that escapes the archive root");
    }

    @Test
    void absolutePathsAreRefused() throws IOException {
        assertRefused(
                new TarGzBuilder().file(outside.toString(), "pwned"), "escapes the archive root");
    }

    @Test
    void symlinksPointingOutAreRefused() throws IOException {
        assertRefused(
                new TarGzBuilder().symlink("link", "../../../outside"),
                "symbolic link 'link' -> '../../../outside'");
        assertRefused(
                new TarGzBuilder().symlink("link", outside.toString()),
                "leads outside the artifact");
    }

    @Test
    void writingThroughAnEarlierSymlinkIsRefused() throws IOException {
        Files.createDirectories(outside);
        Path tgz =
                new TarGzBuilder()
                        .directory("d")
                        .symlink("d/sub", ".")
                        .file("d/sub/x", "x")
                        .writeTo(dir.resolve("through.tgz"));
        assertThatThrownBy(() -> unpacker.unpack("evil", tgz, workspace.resolve("evil")))
                .isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("through link");
    }

    @Test
    void chainsOfLinksThatLeadOutAreRefused() throws IOException {
        assertRefused(
                new TarGzBuilder()
                        .directory("a/b")
                        .symlink("a/b/up", "..")
                        .symlink("a/out", "b/up/../../outside"),
                "leads outside the artifact");
    }

    @Test
    void hardLinksToFilesOutsideAreRefused() throws IOException {
        Files.writeString(dir.resolve("secret.txt"), "secret");
        assertRefused(
                new TarGzBuilder().hardLink("copy", "../../secret.txt"),
                "hard link 'copy' -> '../../secret.txt'");
        assertRefused(
                new TarGzBuilder().hardLink("copy", dir.resolve("secret.txt").toString()),
                "does not name a file inside the artifact");
    }

    @Test
    void deviceAndFifoEntriesAreRefused() throws IOException {
        assertRefused(
                new TarGzBuilder().special("dev/null", TarConstants.LF_CHR),
                "'dev/null', a device, FIFO");
        assertRefused(new TarGzBuilder().special("disk", TarConstants.LF_BLK), "'disk', a device");
        assertRefused(new TarGzBuilder().special("pipe", TarConstants.LF_FIFO), "'pipe', a device");
    }

    @Test
    void decompressionBombsStopAtTheByteLimit() throws IOException {
        Path bomb = new TarGzBuilder().zeros("zeros", 64L << 20).writeTo(dir.resolve("bomb.tgz"));
        assertThat(Files.size(bomb)).isLessThan(1 << 20);

        assertThatThrownBy(() -> unpacker.unpack("evil", bomb, workspace.resolve("evil")))
                .isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("unpacks to more than 1048576 bytes");
    }

    @Test
    void tooManyEntriesStopAtTheEntryLimit() throws IOException {
        TarGzBuilder many = new TarGzBuilder();
        for (int i = 0; i < 51; i++) {
            many.file("f" + i, "");
        }
        assertRefused(many, "has more than 50 entries");
    }
}
