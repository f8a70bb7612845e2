package io.argowasm.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Resolves relative entry paths inside an artifact without letting them leave it. */
final class EntryPaths {
    private EntryPaths() {}

    /**
     * {@code root/entry}, refusing empty, absolute and escaping entries, and entries that reach
     * outside through a symbolic link.
     *
     * @throws IllegalArgumentException naming the artifact and entry when refused
     */
    static Path resolve(String artifact, Path root, String entry) {
        Path resolved = lexicallyInside(artifact, root, entry);
        if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            try {
                if (!resolved.toRealPath().startsWith(root.toRealPath())) {
                    throw refused(artifact, entry, "leads outside the artifact through a link");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return resolved;
    }

    /** {@code root/entry} when it stays inside {@code root} by its names alone. */
    static Path lexicallyInside(String artifact, Path root, String entry) {
        if (entry == null || entry.isEmpty() || entry.indexOf('\0') >= 0) {
            throw refused(artifact, String.valueOf(entry), "is empty");
        }
        if (entry.startsWith("/") || entry.startsWith("\\")) {
            throw refused(artifact, entry, "is absolute");
        }
        Path resolved = root.resolve(entry).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw refused(artifact, entry, "points outside the artifact");
        }
        return resolved;
    }

    private static IllegalArgumentException refused(String artifact, String entry, String why) {
        return new IllegalArgumentException(
                "entry '%s' of artifact '%s' %s".formatted(entry, artifact, why));
    }
}
