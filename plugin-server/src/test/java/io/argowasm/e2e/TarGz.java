package io.argowasm.e2e;

import io.argowasm.artifacts.s3.GeneratedContent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * A tar+gzip built in memory entry by entry, as Argo's executor stores an artifact, or with entries
 * no honest archiver writes; and the reverse, for reading an uploaded artifact back.
 */
final class TarGz {

    private interface Entry {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Argo's layout for a file artifact: one entry named after the file. */
    static byte[] ofFile(String name, String content) {
        return new TarGz().file(name, content).toBytes();
    }

    /** Argo's layout for a binary file artifact. */
    static byte[] ofFile(String name, byte[] content) {
        return new TarGz().file(name, content).toBytes();
    }

    /** A file entry; the name is kept as given, even {@code ../} or absolute. */
    TarGz file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A file entry with binary content. */
    TarGz file(String name, byte[] bytes) {
        entries.add(
                tar -> {
                    TarArchiveEntry entry = new TarArchiveEntry(name, true);
                    entry.setSize(bytes.length);
                    tar.putArchiveEntry(entry);
                    tar.write(bytes);
                    tar.closeArchiveEntry();
                });
        return this;
    }

    /** A file of {@code size} zero bytes, which gzip shrinks to about a thousandth. */
    TarGz zeros(String name, long size) {
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

    /** A file of {@code size} bytes of pseudo-text, which gzip shrinks to about half. */
    TarGz generated(String name, long size) {
        entries.add(
                tar -> {
                    TarArchiveEntry entry = new TarArchiveEntry(name);
                    entry.setSize(size);
                    tar.putArchiveEntry(entry);
                    new GeneratedContent(size, 1).transferTo(tar);
                    tar.closeArchiveEntry();
                });
        return this;
    }

    TarGz directory(String name) {
        entries.add(
                tar -> {
                    tar.putArchiveEntry(new TarArchiveEntry(name + "/"));
                    tar.closeArchiveEntry();
                });
        return this;
    }

    TarGz symlink(String name, String target) {
        entries.add(
                tar -> {
                    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    entry.setLinkName(target);
                    tar.putArchiveEntry(entry);
                    tar.closeArchiveEntry();
                });
        return this;
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry entry : entries) {
                entry.write(tar);
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The entries of a tar+gzip in order, with file contents as UTF-8 (null for directories). */
    static Map<String, String> entries(byte[] archive) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (InputStream in = new ByteArrayInputStream(archive);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                entries.put(
                        entry.getName(),
                        entry.isDirectory()
                                ? null
                                : new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }
}
