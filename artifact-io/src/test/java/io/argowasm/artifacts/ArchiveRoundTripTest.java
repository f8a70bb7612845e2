package io.argowasm.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveRoundTripTest {
    @TempDir Path dir;

    private final ArchiveUnpacker unpacker = new ArchiveUnpacker(ArchiveLimits.DEFAULT);
    private final DiskBudget budget = new DiskBudget(1L << 30);

    private static void pack(
            String artifact, Path source, String rootName, Integer level, Path archive)
            throws IOException {
        ArchivePacker.pack(artifact, source, rootName, level, Files.newOutputStream(archive));
    }

    @Test
    void aSingleFileIsOneEntryNamedAfterTheFileAsArgoWritesIt() throws IOException {
        Path file = Files.writeString(dir.resolve("counts.json"), "{\"a\":1}");

        pack("counts", file, "counts.json", null, dir.resolve("counts.tgz"));

        assertThat(TarGzContents.of(dir.resolve("counts.tgz")))
                .containsExactly(entry("counts.json", "{\"a\":1}"));
    }

    @Test
    void aDirectoryIsItsOwnEntryFollowedByItsTreeUnderItsBaseName() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("data/sub"));
        Files.writeString(dir.resolve("data/a.txt"), "A");
        Files.writeString(tree.resolve("b.txt"), "B");

        pack("report", dir.resolve("data"), "data", null, dir.resolve("r.tgz"));

        assertThat(TarGzContents.of(dir.resolve("r.tgz")))
                .containsExactly(
                        entry("data/", null),
                        entry("data/a.txt", "A"),
                        entry("data/sub/", null),
                        entry("data/sub/b.txt", "B"));
    }

    @Test
    void aSingleFileArchiveUnpacksToAFileAtTheDestination() throws IOException {
        Path file = Files.writeString(dir.resolve("text.txt"), "hello");
        pack("text", file, "text.txt", null, dir.resolve("text.tgz"));

        unpacker.unpack("text", dir.resolve("text.tgz"), dir.resolve("in"), budget);

        assertThat(dir.resolve("in")).isRegularFile().hasContent("hello");
    }

    @Test
    void aDirectoryArchiveUnpacksToThatDirectoryAtTheDestination() throws IOException {
        Files.createDirectories(dir.resolve("data/sub"));
        Files.writeString(dir.resolve("data/a.txt"), "A");
        Files.writeString(dir.resolve("data/sub/b.txt"), "B");
        pack("d", dir.resolve("data"), "data", null, dir.resolve("d.tgz"));

        unpacker.unpack("d", dir.resolve("d.tgz"), dir.resolve("in"), budget);

        assertThat(dir.resolve("in/a.txt")).hasContent("A");
        assertThat(dir.resolve("in/sub/b.txt")).hasContent("B");
    }

    @Test
    void severalTopLevelEntriesUnpackToADirectoryHoldingThem() throws IOException {
        new TarGzBuilder().file("one.txt", "1").file("two.txt", "2").writeTo(dir.resolve("x.tgz"));

        unpacker.unpack("x", dir.resolve("x.tgz"), dir.resolve("in"), budget);

        assertThat(dir.resolve("in")).isDirectory();
        assertThat(dir.resolve("in/one.txt")).hasContent("1");
        assertThat(dir.resolve("in/two.txt")).hasContent("2");
    }

    @Test
    void harmlessLinksInsideTheArchiveAreKept() throws IOException {
        new TarGzBuilder()
                .directory("d")
                .file("d/real.txt", "content")
                .symlink("d/soft.txt", "real.txt")
                .hardLink("d/hard.txt", "d/real.txt")
                .writeTo(dir.resolve("l.tgz"));

        unpacker.unpack("l", dir.resolve("l.tgz"), dir.resolve("in"), budget);

        assertThat(Files.isSymbolicLink(dir.resolve("in/soft.txt"))).isTrue();
        assertThat(dir.resolve("in/soft.txt")).hasContent("content");
        assertThat(dir.resolve("in/hard.txt")).hasContent("content");
    }

    @Test
    void gzipTarIsRecognisedByContentWhateverTheFileName() throws IOException {
        Path archive = new TarGzBuilder().file("f", "x").writeTo(dir.resolve("no-suffix"));

        assertThat(ArchiveUnpacker.isTarGz(archive)).isTrue();
    }

    @Test
    void plainFilesGzipOfNonTarAndUncompressedTarAreNotTarGz() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.tgz"), "just text");
        Path gzipped = dir.resolve("text.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            out.write(
                    "just text, but gzip'd and long enough to fill a block".repeat(20).getBytes());
        }
        Path tar = dir.resolve("plain.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            TarArchiveEntry entry = new TarArchiveEntry("f");
            entry.setSize(1);
            out.putArchiveEntry(entry);
            out.write('x');
            out.closeArchiveEntry();
        }

        assertThat(ArchiveUnpacker.isTarGz(plain)).isFalse();
        assertThat(ArchiveUnpacker.isTarGz(gzipped)).isFalse();
        assertThat(ArchiveUnpacker.isTarGz(tar)).isFalse();
    }

    @Test
    void theDeclaredCompressionLevelIsUsed() throws IOException {
        Path file = Files.writeString(dir.resolve("f.txt"), "compressible ".repeat(10_000));

        pack("f", file, "f.txt", 0, dir.resolve("stored.tgz"));
        pack("f", file, "f.txt", 9, dir.resolve("best.tgz"));

        assertThat(Files.size(dir.resolve("stored.tgz"))).isGreaterThan(Files.size(file));
        assertThat(Files.size(dir.resolve("best.tgz"))).isLessThan(Files.size(file) / 10);
        assertThat(TarGzContents.of(dir.resolve("stored.tgz")))
                .isEqualTo(TarGzContents.of(dir.resolve("best.tgz")));
    }
}
