package io.argowasm.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.artifacts.s3.GeneratedContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostileArchiveTest {
    @TempDir Path dir;

    private Path workspace;
    private Path outside;
    private final ArchiveUnpacker unpacker = new ArchiveUnpacker(new ArchiveLimits(50, 200));
    private final DiskBudget budget = new DiskBudget(64L << 20);

    @BeforeEach
    void layout() throws IOException {
        workspace = Files.createDirectories(dir.resolve("workspace/in"));
        outside = dir.resolve("outside");
    }

    private void assertRefused(TarGzBuilder archive, String reason) throws IOException {
        Path tgz = archive.writeTo(dir.resolve("hostile.tgz"));
        assertThatThrownBy(() -> unpacker.unpack("evil", tgz, workspace.resolve("evil"), budget))
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
        assertThatThrownBy(() -> unpacker.unpack("evil", tgz, workspace.resolve("evil"), budget))
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
    void aBombStopsAtTheCompressionRatioAfterAFewMebibytes() throws IOException {
        Path bomb = Files.write(dir.resolve("bomb.tgz"), ZerosBomb.of("zeros", 16L << 10));
        assertThat(Files.size(bomb)).isLessThan(20L << 20);

        assertThatThrownBy(() -> unpacker.unpack("evil", bomb, workspace.resolve("evil"), budget))
                .isInstanceOfSatisfying(
                        ArtifactLimitException.class,
                        e ->
                                assertThat(e.limit())
                                        .isEqualTo(ArtifactLimitException.Limit.COMPRESSION_RATIO))
                .hasMessageContaining("input artifact 'evil' was refused")
                .hasMessageContaining("more than 200 times its compressed size");
        assertThat(budget.used()).isLessThan(8L << 20);
    }

    @Test
    void aBombWithinTheRatioStopsAtTheDiskBudget() throws IOException {
        ArchiveUnpacker lenient = new ArchiveUnpacker(new ArchiveLimits(50, 1_000_000));
        DiskBudget small = new DiskBudget(8L << 20);
        Path bomb = Files.write(dir.resolve("bomb.tgz"), ZerosBomb.of("zeros", 1L << 10));

        assertThatThrownBy(() -> lenient.unpack("evil", bomb, workspace.resolve("evil"), small))
                .isInstanceOfSatisfying(
                        ArtifactLimitException.class,
                        e ->
                                assertThat(e.limit())
                                        .isEqualTo(ArtifactLimitException.Limit.DISK_BUDGET))
                .hasMessageContaining("input artifact 'evil' would take the step's artifacts past")
                .hasMessageContaining("disk budget of 8 MiB (8388608 bytes)");
        assertThat(small.used()).isLessThanOrEqualTo(8L << 20);
        assertThat(Files.size(workspace.resolve("evil.unpacking/zeros")))
                .isLessThanOrEqualTo(8L << 20);
    }

    @Test
    void theGeneratedBombIsAnArchiveThatUnpacksWhenTheLimitsAllow() throws IOException {
        ArchiveUnpacker lenient = new ArchiveUnpacker(new ArchiveLimits(50, 1_000_000));
        Path bomb = Files.write(dir.resolve("small-bomb.tgz"), ZerosBomb.of("zeros", 3));

        lenient.unpack("zeros", bomb, workspace.resolve("zeros"), budget);

        assertThat(workspace.resolve("zeros")).hasSize(3L << 20);
        assertThat(ArchiveUnpacker.isTarGz(bomb)).isTrue();
    }

    @Test
    void smallArchivesOfRepetitiveDataUnpackWhateverTheirRatio() throws IOException {
        Path tgz =
                new TarGzBuilder()
                        .zeros("zeros", ArchiveLimits.RATIO_FLOOR_BYTES / 2)
                        .file("text", "la ".repeat(100_000))
                        .writeTo(dir.resolve("small.tgz"));
        assertThat(Files.size(tgz)).isLessThan(ArchiveLimits.RATIO_FLOOR_BYTES / 200);

        unpacker.unpack("fine", tgz, workspace.resolve("fine"), budget);

        assertThat(workspace.resolve("fine/zeros")).hasSize(ArchiveLimits.RATIO_FLOOR_BYTES / 2);
        assertThat(workspace.resolve("fine/text")).hasSize(300_000);
    }

    @Test
    void largeArchivesOfOrdinaryDataUnpack() throws IOException {
        Path tgz = dir.resolve("data.tgz");
        try (var out = Files.newOutputStream(tgz);
                var tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            var entry = new TarArchiveEntry("data");
            entry.setSize(8L << 20);
            tar.putArchiveEntry(entry);
            new GeneratedContent(8L << 20, 7).transferTo(tar);
            tar.closeArchiveEntry();
        }

        unpacker.unpack("data", tgz, workspace.resolve("data"), budget);

        assertThat(workspace.resolve("data")).hasSize(8L << 20);
        assertThat(budget.used()).isEqualTo(8L << 20);
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
