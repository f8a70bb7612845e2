package io.argowasm.artifacts;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks Argo's tar+gzip artifacts safely and with Argo's layout: an archive with a single
 * top-level entry becomes that file or directory, one with several becomes a directory of them.
 */
final class ArchiveUnpacker {
    private static final int BUFFER = 64 * 1024;
    // What gzip reads ahead of the bytes it has inflated. Small, so the compressed bytes counted
    // for the ratio are close to those consumed: a bomb is stopped after a few MiB, not 25.
    private static final int GZIP_READ = 16 * 1024;

    private final ArchiveLimits limits;

    ArchiveUnpacker(ArchiveLimits limits) {
        this.limits = limits;
    }

    /**
     * Whether the file is a gzip'd tar, judged by content as Argo does: gzip magic bytes, then a
     * valid first tar header.
     */
    static boolean isTarGz(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            in.mark(2);
            if (in.read() != 0x1f || in.read() != 0x8b) {
                return false;
            }
            in.reset();
            try (TarArchiveInputStream tar =
                    new TarArchiveInputStream(new GZIPInputStream(in, BUFFER))) {
                return tar.getNextEntry() != null;
            } catch (IOException notTar) {
                return false;
            }
        }
    }

    /**
     * Unpacks {@code archive} to {@code destination}, which must not exist yet, charging every byte
     * written to {@code budget}.
     *
     * @throws UnsafeArchiveException when an entry would leave the destination or has too many
     *     entries
     * @throws ArtifactLimitException when the archive passes the disk budget or the compression
     *     ratio
     */
    void unpack(String artifact, Path archive, Path destination, DiskBudget budget)
            throws IOException {
        Path staging = destination.resolveSibling(destination.getFileName() + ".unpacking");
        Files.createDirectories(staging);
        Path root = staging.toRealPath();
        List<Path> links = new ArrayList<>();
        try (CountingInputStream compressed =
                        new CountingInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new GZIPInputStream(compressed, GZIP_READ))) {
            Unpacked unpacked = new Unpacked(artifact, compressed, budget);
            int entries = 0;
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw unsafe(
                            artifact,
                            "has more than %s entries (the limit)".formatted(limits.maxEntries()));
                }
                Path target = targetOf(artifact, root, entry.getName());
                if (target.equals(root)) {
                    continue;
                }
                createParents(artifact, root, target);
                if (entry.isDirectory()) {
                    if (Files.isSymbolicLink(target)) {
                        throw unsafe(artifact, "replaces link '%s'".formatted(entry.getName()));
                    }
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    links.add(symlink(artifact, root, target, entry));
                } else if (entry.isLink()) {
                    hardLink(artifact, root, target, entry);
                } else if (entry.isCharacterDevice()
                        || entry.isBlockDevice()
                        || entry.isFIFO()
                        || !entry.isFile()) {
                    // Checked before isFile(), which is also true for device entries.
                    throw unsafe(
                            artifact,
                            ("holds '%s', a device, FIFO or other special entry; only"
                                            + " files, directories and links are allowed")
                                    .formatted(entry.getName()));
                } else {
                    write(artifact, tar, target, unpacked);
                }
            }
        }
        for (Path link : links) {
            // A chain of links can lead out even when each one alone stays inside, and a
            // dangling link could be completed later from outside; both are refused.
            if (!Files.exists(link) || !link.toRealPath().startsWith(root)) {
                throw unsafe(
                        artifact,
                        "holds link '%s' that leads outside the artifact or to nothing"
                                .formatted(root.relativize(link)));
            }
        }
        place(staging, destination);
    }

    private static Path targetOf(String artifact, Path root, String name) {
        String relative = name;
        while (relative.startsWith("./")) {
            relative = relative.substring(2);
        }
        if (relative.isEmpty() || relative.equals(".") || relative.equals("./")) {
            return root;
        }
        try {
            return EntryPaths.lexicallyInside(artifact, root, relative);
        } catch (IllegalArgumentException e) {
            throw unsafe(
                    artifact, "holds entry '%s' that escapes the archive root".formatted(name));
        }
    }

    /** Creates missing parent directories, refusing to pass through a link. */
    private static void createParents(String artifact, Path root, Path target) throws IOException {
        Path current = root;
        for (Path part : root.relativize(target.getParent() == null ? root : target.getParent())) {
            if (part.toString().isEmpty()) {
                continue;
            }
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                throw unsafe(
                        artifact,
                        "writes '%s' through link '%s'"
                                .formatted(root.relativize(target), root.relativize(current)));
            }
            if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(current);
            }
        }
    }

    private static Path symlink(String artifact, Path root, Path target, TarArchiveEntry entry)
            throws IOException {
        String linkName = entry.getLinkName();
        Path linkTarget = target.getParent().resolve(linkName).normalize();
        if (linkName.isEmpty() || linkName.startsWith("/") || !linkTarget.startsWith(root)) {
            throw unsafe(
                    artifact,
                    "holds symbolic link '%s' -> '%s' that leads outside the artifact"
                            .formatted(entry.getName(), linkName));
        }
        Files.deleteIfExists(target);
        return Files.createSymbolicLink(target, target.getFileSystem().getPath(linkName));
    }

    private static void hardLink(String artifact, Path root, Path target, TarArchiveEntry entry)
            throws IOException {
        String linkName = entry.getLinkName();
        Path existing;
        try {
            existing = EntryPaths.lexicallyInside(artifact, root, linkName);
        } catch (IllegalArgumentException e) {
            existing = null;
        }
        if (existing == null
                || !Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)
                || !existing.getParent().toRealPath().startsWith(root)) {
            throw unsafe(
                    artifact,
                    ("holds hard link '%s' -> '%s' that does not name a file"
                                    + " inside the artifact")
                            .formatted(entry.getName(), linkName));
        }
        Files.deleteIfExists(target);
        Files.createLink(target, existing);
    }

    private static void write(
            String artifact, InputStream entryData, Path target, Unpacked unpacked)
            throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw unsafe(
                    artifact, "replaces directory '%s' by a file".formatted(target.getFileName()));
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            unpacked.replaced(Files.size(target));
            Files.delete(target);
        }
        byte[] buffer = new byte[BUFFER];
        try (OutputStream out =
                Files.newOutputStream(
                        target,
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
            int read;
            while ((read = entryData.read(buffer)) > 0) {
                unpacked.add(read);
                out.write(buffer, 0, read);
            }
        }
    }

    /** The bytes one archive has unpacked so far, held to the disk budget and the ratio. */
    private final class Unpacked {
        private final String artifact;
        private final CountingInputStream compressed;
        private final DiskBudget budget;
        private long bytes;

        Unpacked(String artifact, CountingInputStream compressed, DiskBudget budget) {
            this.artifact = artifact;
            this.compressed = compressed;
            this.budget = budget;
        }

        void add(int read) {
            bytes += read;
            long ratio = limits.maxCompressionRatio();
            if (bytes > ArchiveLimits.RATIO_FLOOR_BYTES && bytes > ratio * compressed.count()) {
                throw new ArtifactLimitException(
                        ArtifactLimitException.Limit.COMPRESSION_RATIO,
                        ("input artifact '%s' was refused: its archive unpacks to more than %d"
                                        + " times its compressed size (%d bytes from the first %d"
                                        + " compressed bytes), as only an archive bomb does")
                                .formatted(artifact, ratio, bytes, compressed.count()));
            }
            budget.charge("input artifact '%s'".formatted(artifact), read);
        }

        /** A later entry of the same name replaces an earlier file, whose bytes come back. */
        void replaced(long size) {
            budget.release(size);
        }
    }

    /** Counts the bytes read from the archive file, for the compression ratio. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }

    /** Argo's rule: a single top-level entry takes the destination's name. */
    private static void place(Path staging, Path destination) throws IOException {
        List<Path> top;
        try (Stream<Path> children = Files.list(staging)) {
            top = children.toList();
        }
        if (top.size() == 1) {
            Files.move(top.get(0), destination);
            Files.delete(staging);
        } else {
            Files.move(staging, destination);
        }
    }

    private static UnsafeArchiveException unsafe(String artifact, String what) {
        return new UnsafeArchiveException(
                "input artifact '%s' was refused: its archive %s".formatted(artifact, what));
    }
}
