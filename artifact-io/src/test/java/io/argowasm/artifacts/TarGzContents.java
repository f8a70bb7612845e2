package io.argowasm.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads a small tar+gzip back: entry names in order, with file contents (null for dirs). */
public final class TarGzContents {
    private TarGzContents() {}

    public static Map<String, String> of(Path archive) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return of(in);
        }
    }

    public static Map<String, String> of(InputStream archive) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(archive))) {
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
