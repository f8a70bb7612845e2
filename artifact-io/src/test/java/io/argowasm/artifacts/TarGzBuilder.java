package io.argowasm.artifacts;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds tar+gzip archives entry by entry, including entries no honest archiver writes. */
public final class TarGzBuilder {
    private interface Entry {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private final List<Entry> entries = new ArrayList<>();

    public TarGzBuilder file(String name, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        entries.add(
                tar -> {
                    // Keeps absolute names as given, as a hostile archiver would.
                    TarArchiveEntry entry = new TarArchiveEntry(name, true);
                    entry.setSize(bytes.length);
                    tar.putArchiveEntry(entry);
                    tar.write(bytes);
                    tar.closeArchiveEntry();
                });
        return this;
    }

    /** A file of {@code size} zero bytes, written without holding them in memory. */
    public TarGzBuilder zeros(String name, long size) {
        entries.add(
                tar -> {
                    TarArchiveEntry entry = new TarArchiveEntry(name);
                    entry.setSize(size);
                    tar.putArchiveEntry(entry);
                    byte[] block = new byte[64 * 1024];
                    for (long left = size; left > 0; left -= block.length) {
                        tar.write(block, 0, (int) Math.min(block.length, left));
                    }
                    tar.closeArchiveEntry();
                });
        return this;
    }

    public TarGzBuilder directory(String name) {
        entries.add(
                tar -> {
                    tar.putArchiveEntry(
                            new TarArchiveEntry(name.endsWith("/") ? name : name + "/"));
                    tar.closeArchiveEntry();
                });
        return this;
    }

    public TarGzBuilder symlink(String name, String target) {
        return link(name, target, TarConstants.LF_SYMLINK);
    }

    public TarGzBuilder hardLink(String name, String target) {
        return link(name, target, TarConstants.LF_LINK);
    }

    public TarGzBuilder special(String name, byte type) {
        entries.add(
                tar -> {
                    tar.putArchiveEntry(new TarArchiveEntry(name, type));
                    tar.closeArchiveEntry();
                });
        return this;
    }

    private TarGzBuilder link(String name, String target, byte type) {
        entries.add(
                tar -> {
                    TarArchiveEntry entry = new TarArchiveEntry(name, type);
                    entry.setLinkName(target);
                    tar.putArchiveEntry(entry);
                    tar.closeArchiveEntry();
                });
        return this;
    }

    public Path writeTo(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
                TarArchiveOutputStream tar =
                        new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry entry : entries) {
                entry.write(tar);
            }
            tar.finish();
        }
        return file;
    }
}
