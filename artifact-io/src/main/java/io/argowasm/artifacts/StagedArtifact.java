package io.argowasm.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * An input artifact on local disk, inside an {@link ArtifactWorkspace}: a single file, or a
 * directory when its archive held a tree (or several top-level entries).
 */
public final class StagedArtifact {
    private final String name;
    private final String templatePath;
    private final Path path;
    private final boolean directory;
    private final long size;
    private final List<String> entries;

    StagedArtifact(String name, String templatePath, Path path) throws IOException {
        this.name = name;
        this.templatePath = templatePath;
        this.path = path;
        this.directory = Files.isDirectory(path);
        if (directory) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(path)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            long total = 0;
            for (Path file : files) {
                total += Files.size(file);
            }
            this.size = total;
            this.entries =
                    files.stream()
                            .map(file -> path.relativize(file).toString().replace('\\', '/'))
                            .toList();
        } else {
            this.size = Files.size(path);
            this.entries = List.of();
        }
    }

    /** The artifact's name in the template. */
    public String name() {
        return name;
    }

    /** The {@code path} the template declared, or {@code null}. */
    public String templatePath() {
        return templatePath;
    }

    /** The local file or directory. */
    public Path path() {
        return path;
    }

    public boolean isDirectory() {
        return directory;
    }

    /** Bytes of the file, or of all regular files below the directory. */
    public long size() {
        return size;
    }

    /**
     * Regular files below a directory, relative, {@code /}-separated and sorted; empty for a file.
     */
    public List<String> entries() {
        return entries;
    }

    /**
     * A file inside a directory artifact, by its relative entry path ({@code "<artifact>/<entry>"}
     * in a host call).
     *
     * @throws IllegalArgumentException when the entry is absolute, escapes the artifact, or this
     *     artifact is not a directory
     */
    public Path resolve(String entry) {
        if (!directory) {
            throw new IllegalArgumentException(
                    "artifact '%s' is a single file and has no entry '%s'".formatted(name, entry));
        }
        try {
            return EntryPaths.resolve(name, path, entry);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(
                    "entry '%s' of artifact '%s' cannot be read".formatted(entry, name), e);
        }
    }

    @Override
    public String toString() {
        return "StagedArtifact[%s at %s, %s bytes]".formatted(name, path, size);
    }
}
