package io.argowasm.artifacts.local;

import io.argowasm.artifacts.ArtifactException;
import io.argowasm.artifacts.ArtifactNotFoundException;
import io.argowasm.artifacts.ArtifactRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A local directory used as an artifact repository: the key {@code a/b.tgz} is the file {@code
 * <root>/a/b.tgz}. For running templates on a workstation without any object store. Uploads are
 * written beside the final file and renamed into place, so a failed upload leaves nothing under the
 * key.
 */
public final class DirectoryArtifactRepository implements ArtifactRepository {
    private final Path root;

    public DirectoryArtifactRepository(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public void download(String artifact, String key, OutputStream target) {
        Path file = fileOf(artifact, key);
        if (!Files.isRegularFile(file)) {
            throw new ArtifactNotFoundException(
                    "input artifact '%s' does not exist: no key '%s' in %s"
                            .formatted(artifact, key, description()));
        }
        try {
            Files.copy(file, target);
        } catch (NoSuchFileException e) {
            throw new ArtifactNotFoundException(
                    "input artifact '%s' disappeared while reading key '%s' from %s"
                            .formatted(artifact, key, description()));
        } catch (IOException e) {
            throw new ArtifactException(
                    "input artifact '%s': cannot read %s: %s".formatted(artifact, file, e), e);
        }
    }

    @Override
    public void upload(String artifact, String key, Path source) {
        Path file = fileOf(artifact, key);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.createDirectories(file.getParent());
            Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(
                        partial,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new ArtifactException(
                    "output artifact '%s': cannot write %s: %s".formatted(artifact, file, e), e);
        }
    }

    @Override
    public String description() {
        return "directory %s".formatted(root);
    }

    @Override
    public String toString() {
        return "DirectoryArtifactRepository[" + root + "]";
    }

    /** Keys are relative paths; none may leave the root. */
    private Path fileOf(String artifact, String key) {
        Path file = root.resolve(key).normalize();
        if (key.startsWith("/") || !file.startsWith(root) || file.equals(root)) {
            throw new ArtifactException(
                    "artifact '%s': key '%s' leaves %s".formatted(artifact, key, description()));
        }
        try {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                    && Files.exists(root)
                    && !file.toRealPath().startsWith(root.toRealPath())) {
                throw new ArtifactException(
                        "artifact '%s': key '%s' leaves %s through a link"
                                .formatted(artifact, key, description()));
            }
        } catch (IOException e) {
            throw new ArtifactException(
                    "artifact '%s': cannot resolve key '%s' in %s: %s"
                            .formatted(artifact, key, description(), e),
                    e);
        }
        return file;
    }
}
