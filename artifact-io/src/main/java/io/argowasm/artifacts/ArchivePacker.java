package io.argowasm.artifacts;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes a file or directory as Argo's executor does ({@code util/archive.TarGzToWriter}): a file
 * becomes a tar with one entry named after it; a directory becomes its own entry followed by
 * everything below it, each named {@code <directory name>/<relative path>}.
 */
final class ArchivePacker {
    private static final int BUFFER = 64 * 1024;

    private ArchivePacker() {}

    /**
     * @param artifact names the artifact in errors
     * @param source a regular file or a directory of regular files and directories
     * @param rootName the name of the top-level entry (Argo uses the base name of the path)
     * @param compressionLevel gzip level, or {@code null} for the default
     * @param archive where the {@code .tgz} goes; closed when done
     */
    static void pack(
            String artifact,
            Path source,
            String rootName,
            Integer compressionLevel,
            OutputStream archive)
            throws IOException {
        GzipParameters gzip = new GzipParameters();
        gzip.setCompressionLevel(
                compressionLevel == null ? Deflater.DEFAULT_COMPRESSION : compressionLevel);
        try (OutputStream file = new BufferedOutputStream(archive, BUFFER);
                TarArchiveOutputStream tar =
                        new TarArchiveOutputStream(new GzipCompressorOutputStream(file, gzip))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                addDirectory(artifact, tar, source, source, rootName);
            } else {
                addFile(tar, source, rootName);
            }
            tar.finish();
        }
    }

    private static void addDirectory(
            String artifact, TarArchiveOutputStream tar, Path root, Path directory, String rootName)
            throws IOException {
        String name = entryName(root, directory, rootName);
        tar.putArchiveEntry(new TarArchiveEntry(directory, name + "/", LinkOption.NOFOLLOW_LINKS));
        tar.closeArchiveEntry();
        List<Path> children;
        try (Stream<Path> listing = Files.list(directory)) {
            // Sorted, so the same tree always gives the same archive.
            children = listing.sorted().toList();
        }
        for (Path child : children) {
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                addDirectory(artifact, tar, root, child, rootName);
            } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                addFile(tar, child, entryName(root, child, rootName));
            } else {
                throw new ArtifactException(
                        ("output artifact '%s' holds '%s', which is not a regular file"
                                        + " or directory; only those can be stored")
                                .formatted(artifact, root.relativize(child)));
            }
        }
    }

    private static void addFile(TarArchiveOutputStream tar, Path file, String name)
            throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(file, name, LinkOption.NOFOLLOW_LINKS));
        Files.copy(file, tar);
        tar.closeArchiveEntry();
    }

    private static String entryName(Path root, Path path, String rootName) {
        String relative = root.relativize(path).toString().replace('\\', '/');
        return relative.isEmpty() ? rootName : rootName + "/" + relative;
    }
}
