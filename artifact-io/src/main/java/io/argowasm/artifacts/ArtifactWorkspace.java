package io.argowasm.artifacts;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The artifacts of one plugin call: inputs downloaded (and unpacked) to local files, outputs
 * written locally and then uploaded. Everything lives in one temporary directory that {@link
 * #close()} deletes. Not thread-safe: one call, one thread.
 *
 * <p>Obtain one from {@link ArtifactWorkspaces#open(WorkflowRef, String)}.
 */
public final class ArtifactWorkspace implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactWorkspace.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private final Path root;
    private final Path inputs;
    private final Path outputs;
    private final Path staging;
    private final WorkflowRef workflow;
    private final String invocationId;
    private final RepositoryResolver resolver;
    private final ArchiveUnpacker unpacker;
    private final HttpFetcher http;
    private final DiskBudget budget;
    private ResolvedRepository resolved;

    ArtifactWorkspace(
            Path root,
            WorkflowRef workflow,
            String invocationId,
            RepositoryResolver resolver,
            ArchiveUnpacker unpacker,
            HttpFetcher http,
            DiskBudget budget)
            throws IOException {
        this.root = root;
        this.inputs = Files.createDirectory(root.resolve("in"));
        this.outputs = Files.createDirectory(root.resolve("out"));
        this.staging = Files.createDirectory(root.resolve("staging"));
        this.workflow = workflow;
        this.invocationId = invocationId;
        this.resolver = resolver;
        this.unpacker = unpacker;
        this.http = http;
        this.budget = budget;
    }

    public WorkflowRef workflow() {
        return workflow;
    }

    public String invocationId() {
        return invocationId;
    }

    /**
     * Downloads an input artifact and unpacks it when it is a tar+gzip (by content, or because
     * {@code archive: tar} says so). {@code archive: none} keeps the object as it is.
     *
     * @return the local artifact, or empty when an {@code optional} input does not exist
     * @throws ArtifactNotFoundException when a required input does not exist
     * @throws UnsupportedArtifactException for locations other than s3, raw and http
     * @throws UnsafeArchiveException when the archive is refused
     * @throws ArtifactLimitException when the input would pass the disk budget, or its archive the
     *     compression ratio
     * @throws ArtifactRepositoryException when the repository cannot be used
     */
    public Optional<StagedArtifact> download(ArtifactSpec input) {
        String name = checkedName(input);
        Path fetched = staging.resolve(name + ".download");
        Path destination = inputs.resolve(name);
        try {
            boolean present;
            try (OutputStream out =
                    budget.guard(
                            "input artifact '%s'".formatted(name),
                            Files.newOutputStream(fetched, StandardOpenOption.CREATE_NEW))) {
                present = fetch(input, out);
            }
            if (!present) {
                Files.delete(fetched);
                LOG.info("optional input artifact '{}' is absent; skipping it", name);
                return Optional.empty();
            }
            place(input, fetched, destination);
            return Optional.of(new StagedArtifact(name, input.path(), destination));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "input artifact '%s' could not be staged: %s".formatted(name, e.getMessage()),
                    e);
        }
    }

    /**
     * Where an output artifact is to be written: create a regular file here for a file artifact, or
     * files below it (see {@link #outputEntry}) for a directory artifact.
     */
    public Path outputPath(String artifactName) {
        return outputs.resolve(checkedName(artifactName));
    }

    /**
     * A file inside a directory output ({@code "<artifact>/<entry>"} in a host call), with its
     * parent directories created.
     *
     * @throws IllegalArgumentException when the entry is absolute or escapes the artifact
     */
    public Path outputEntry(String artifactName, String entry) {
        Path directory = outputPath(artifactName);
        Path file = EntryPaths.resolve(artifactName, directory, entry);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Opens a file of an output artifact, {@link #outputPath} or one of its {@link #outputEntry}s,
     * for appending. Every byte written is charged to the step's disk budget; a write past it
     * throws {@link ArtifactLimitException} and writes nothing.
     *
     * @throws IllegalArgumentException when the file is not one of the artifact's
     */
    public OutputStream appendTo(String artifactName, Path file) throws IOException {
        Path artifact = outputPath(artifactName);
        if (!file.normalize().startsWith(artifact)) {
            throw new IllegalArgumentException(
                    "%s is not a file of output artifact '%s'".formatted(file, artifactName));
        }
        return budget.guard(
                "output artifact '%s'".formatted(artifactName),
                Files.newOutputStream(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND,
                        LinkOption.NOFOLLOW_LINKS));
    }

    /** Bytes the workspace holds now, as charged to its disk budget. */
    public long diskBytesUsed() {
        return budget.used();
    }

    /**
     * Uploads what was written at {@link #outputPath} for this output: as {@code <name>.tgz} unless
     * {@code archive: none}, to the artifact's own key or location if it declares one, else to the
     * workflow's repository under a key from its {@link KeyFormat}.
     *
     * @return the reference for the reply, or empty when an {@code optional} output was never
     *     written
     * @throws ArtifactException when a required output was never written, or {@code archive: none}
     *     meets a directory
     * @throws ArtifactLimitException when its archive would pass the disk budget
     * @throws ArtifactRepositoryException when the repository cannot be used
     */
    public Optional<ArtifactReference> upload(ArtifactSpec output) {
        String name = checkedName(output);
        Path source = outputs.resolve(name);
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            if (output.optional()) {
                LOG.info("optional output artifact '{}' was not written; skipping it", name);
                return Optional.empty();
            }
            throw new ArtifactException(
                    ("output artifact '%s' was not written: the module produced no"
                                    + " data for it; write to it, or mark it optional")
                            .formatted(name));
        }
        ArchiveStrategy archive = output.archive();
        if (archive.kind() == ArchiveStrategy.Kind.ZIP) {
            throw new UnsupportedArtifactException(
                    "output artifact '%s' asks for archive: zip; use tar or none".formatted(name));
        }
        boolean directory = Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS);
        if (directory && !archive.archivesOutputs()) {
            throw new ArtifactException(
                    ("output artifact '%s' is a directory, but archive: none can"
                                    + " store only a single file; drop archive: none or write one"
                                    + " file")
                            .formatted(name));
        }
        Path packed = null;
        try {
            Path object = source;
            String fileName = name;
            if (archive.archivesOutputs()) {
                fileName = name + ".tgz";
                packed = staging.resolve(fileName);
                object = packed;
                ArchivePacker.pack(
                        name,
                        source,
                        entryRootName(output),
                        archive.compressionLevel(),
                        budget.guard(
                                "output artifact '%s'".formatted(name),
                                Files.newOutputStream(packed, StandardOpenOption.CREATE_NEW)));
            }
            S3Location location = destinationOf(output, fileName);
            ArtifactRepository repository =
                    location.isComplete()
                            ? resolver.locatedAt(workflow, location)
                            : resolved().repository();
            repository.upload(name, location.key(), object);
            LOG.info(
                    "stored output artifact '{}' as '{}' in {}",
                    name,
                    location.key(),
                    repository.description());
            return Optional.of(new ArtifactReference(name, output.path(), archive, location));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "output artifact '%s' could not be archived: %s"
                            .formatted(name, e.getMessage()),
                    e);
        } finally {
            if (packed != null) {
                deleteCharged(packed);
            }
        }
    }

    /** Deletes every file of this workspace. */
    @Override
    public void close() {
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            LOG.warn("could not delete artifact workspace {}: {}", root, e.toString());
        }
    }

    /** Deletes a file the budget was charged for, giving its bytes back. */
    private void deleteCharged(Path file) {
        try {
            long size = Files.size(file);
            Files.delete(file);
            budget.release(size);
        } catch (IOException e) {
            LOG.debug("{} stays until the workspace is closed: {}", file, e.toString());
        }
    }

    private boolean fetch(ArtifactSpec input, OutputStream target) throws IOException {
        String name = input.name();
        ArtifactSource source = input.source();
        if (source instanceof ArtifactSource.S3 s3) {
            S3Location location = s3.location();
            if (location.key() == null) {
                throw new ArtifactException(
                        "input artifact '%s' has an s3 location without a key".formatted(name));
            }
            ArtifactRepository repository =
                    location.isComplete()
                            ? resolver.locatedAt(workflow, location)
                            : resolved().repository();
            try {
                repository.download(name, location.key(), target);
                return true;
            } catch (ArtifactNotFoundException e) {
                if (input.optional()) {
                    return false;
                }
                throw e;
            }
        }
        if (source instanceof ArtifactSource.Raw raw) {
            target.write(raw.data().getBytes(StandardCharsets.UTF_8));
            return true;
        }
        if (source instanceof ArtifactSource.Http location) {
            if (http.fetch(name, location, target)) {
                return true;
            }
            if (input.optional()) {
                return false;
            }
            throw new ArtifactNotFoundException(
                    "input artifact '%s' does not exist: %s answered 404"
                            .formatted(name, HttpFetcher.withoutQuery(URI.create(location.url()))));
        }
        if (source instanceof ArtifactSource.Unsupported unsupported) {
            throw new UnsupportedArtifactException(
                    ("input artifact '%s' is stored as %s, which the wasm plugin"
                                    + " cannot read; use s3, raw or http")
                            .formatted(name, unsupported.type()));
        }
        if (input.optional()) {
            return false;
        }
        throw new ArtifactException(
                ("input artifact '%s' has no location: pass it from a previous"
                                + " step or give it an s3, raw or http source")
                        .formatted(name));
    }

    private void place(ArtifactSpec input, Path fetched, Path destination) throws IOException {
        String name = input.name();
        switch (input.archive().kind()) {
            case NONE:
                Files.move(fetched, destination);
                break;
            case ZIP:
                throw new UnsupportedArtifactException(
                        ("input artifact '%s' is declared archive: zip, which the wasm plugin"
                                        + " cannot unpack; store it as tar (the default) or none")
                                .formatted(name));
            case TAR:
                if (!ArchiveUnpacker.isTarGz(fetched)) {
                    throw new ArtifactException(
                            ("input artifact '%s' is declared archive: tar but is not a"
                                            + " tar+gzip")
                                    .formatted(name));
                }
                unpacker.unpack(name, fetched, destination, budget);
                deleteCharged(fetched);
                break;
            case DEFAULT:
                if (ArchiveUnpacker.isTarGz(fetched)) {
                    unpacker.unpack(name, fetched, destination, budget);
                    deleteCharged(fetched);
                } else {
                    Files.move(fetched, destination);
                }
                break;
        }
    }

    private S3Location destinationOf(ArtifactSpec output, String fileName) {
        ArtifactSource source = output.source();
        if (source instanceof ArtifactSource.S3 s3 && s3.location().key() != null) {
            return s3.location().isComplete()
                    ? s3.location()
                    : S3Location.builder().key(s3.location().key()).build();
        }
        if (source instanceof ArtifactSource.S3 || source instanceof ArtifactSource.Unset) {
            ResolvedRepository repository = resolved();
            String key =
                    repository
                            .keyFormat()
                            .keyFor(workflow, repository.workflowCreated(), invocationId, fileName);
            return S3Location.builder().key(key).build();
        }
        String type =
                source instanceof ArtifactSource.Unsupported unsupported
                        ? unsupported.type()
                        : source.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        throw new UnsupportedArtifactException(
                ("output artifact '%s' declares a %s location; the wasm plugin"
                                + " stores outputs only in S3")
                        .formatted(output.name(), type));
    }

    /** Argo names the top-level archive entry after the base name of the artifact's path. */
    private static String entryRootName(ArtifactSpec output) {
        Path fileName = output.path() == null ? null : Path.of(output.path()).getFileName();
        return fileName == null ? output.name() : fileName.toString();
    }

    private ResolvedRepository resolved() {
        if (resolved == null) {
            resolved = resolver.resolve(workflow);
        }
        return resolved;
    }

    private static String checkedName(ArtifactSpec artifact) {
        return checkedName(artifact.name());
    }

    private static String checkedName(String name) {
        if (!SAFE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(
                    "artifact name '%s' is not usable: use letters, digits, '-', '_'"
                            .formatted(name));
        }
        return name;
    }
}
