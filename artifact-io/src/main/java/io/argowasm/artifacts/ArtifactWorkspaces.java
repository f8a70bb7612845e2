package io.argowasm.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens {@link ArtifactWorkspace}s: the long-lived entry point of this library. Build one at
 * start-up and share it; it is thread-safe.
 *
 * <pre>{@code
 * ArtifactWorkspaces workspaces =
 *         ArtifactWorkspaces.builder(KubernetesRepositoryResolver.builder(client).build())
 *                 .maxDiskBytes(1L << 30)
 *                 .build();
 * }</pre>
 *
 * <p>Workspaces are directories {@code step-<pid>-<process start>-<random>} under one root, so
 * {@link #removeLeftovers(Path)} can tell the workspaces of a process that is gone (killed before
 * it could delete them) from those of one still running.
 */
public final class ArtifactWorkspaces {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactWorkspaces.class);
    private static final Pattern INVOCATION_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern WORKSPACE_NAME = Pattern.compile("step-([0-9]+)-([0-9]+)-[0-9]+");

    /** 1 GiB: half of the {@code ephemeral-storage} limit of the plugin's manifest. */
    public static final long DEFAULT_MAX_DISK_BYTES = 1L << 30;

    private final Builder settings;
    private final ArchiveUnpacker unpacker;
    private final HttpFetcher http;
    private final String prefix;

    private ArtifactWorkspaces(Builder builder) {
        this.settings = builder.copy();
        this.unpacker = new ArchiveUnpacker(builder.limits);
        this.http = new HttpFetcher(builder.httpClient, builder.httpTimeout);
        ProcessHandle self = ProcessHandle.current();
        this.prefix = "step-%d-%d-".formatted(self.pid(), startOf(self).orElse(0L));
    }

    public static Builder builder(RepositoryResolver resolver) {
        return new Builder(resolver);
    }

    /** A builder holding this instance's settings, to derive one that differs in a few. */
    public Builder toBuilder() {
        return settings.copy();
    }

    /**
     * The directory workspaces are created in unless the builder says otherwise: {@code
     * <java.io.tmpdir>/wasm-executor-plugin/workspaces}.
     */
    public static Path defaultRoot() {
        return Path.of(System.getProperty("java.io.tmpdir"), "wasm-executor-plugin", "workspaces");
    }

    /** The directory this instance creates workspaces in. */
    public Path root() {
        return settings.temporaryRoot;
    }

    /**
     * A new, empty workspace for one plugin call.
     *
     * @param workflow the workflow the call belongs to
     * @param invocationId a stable id of the call (the same for a repeated call of the same node),
     *     used in default output keys; letters, digits, {@code _ . -}, at most 128 characters
     */
    public ArtifactWorkspace open(WorkflowRef workflow, String invocationId) {
        Objects.requireNonNull(workflow, "workflow");
        if (invocationId == null || !INVOCATION_ID.matcher(invocationId).matches()) {
            throw new IllegalArgumentException(
                    ("invocation id '%s' is not usable in a key: use 1-128"
                                    + " letters, digits, '_', '.', '-'")
                            .formatted(invocationId));
        }
        Path root = settings.temporaryRoot;
        try {
            createPrivately(root);
            Path directory = Files.createTempDirectory(root, prefix);
            return new ArtifactWorkspace(
                    directory,
                    workflow,
                    invocationId,
                    settings.resolver,
                    unpacker,
                    http,
                    new DiskBudget(settings.maxDiskBytes));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "%s work directory"
                            .formatted(
                                    "cannot create an artifact workspace under %s: %s; give the sidecar a writable"
                                            .formatted(root, e.getMessage())),
                    e);
        }
    }

    /**
     * Deletes the workspaces under {@code root} that belong to no running process: those a killed
     * process left behind. Only directories named as this class names workspaces are touched, and
     * links are never followed, neither to a workspace nor inside one.
     *
     * @return how many workspaces were deleted
     */
    public static int removeLeftovers(Path root) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(root)) {
                LOG.warn("not removing old artifact workspaces: {} is a link", root);
            }
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                Matcher name = WORKSPACE_NAME.matcher(child.getFileName().toString());
                if (name.matches()
                        && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
                        && !running(Long.parseLong(name.group(1)), Long.parseLong(name.group(2)))) {
                    FileTrees.delete(child);
                    removed++;
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn(
                    "could not remove all old artifact workspaces under {}: {}",
                    root,
                    e.toString());
        }
        if (removed > 0) {
            LOG.info(
                    "removed {} artifact workspaces left by an earlier process in {}",
                    removed,
                    root);
        }
        return removed;
    }

    /** Whether the process that named a workspace still runs: same pid, same start time. */
    private static boolean running(long pid, long start) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        // A pid is reused, in a restarted container often by the sidecar itself.
        Optional<Long> started = startOf(process.get());
        return started.isEmpty() || start == 0 || started.get() == start;
    }

    private static Optional<Long> startOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    /** Creates the root readable by its owner only, where the file system has POSIX modes. */
    private static void createPrivately(Path root) throws IOException {
        if (Files.isDirectory(root)) {
            return;
        }
        if (root.toAbsolutePath().getParent() != null) {
            Files.createDirectories(root.toAbsolutePath().getParent());
        }
        try {
            Files.createDirectory(
                    root,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(root);
        } catch (FileAlreadyExistsException e) {
            // Created meanwhile by another step.
        }
    }

    /** Options of {@link ArtifactWorkspaces}. */
    public static final class Builder {
        private final RepositoryResolver resolver;
        private Path temporaryRoot = defaultRoot();
        private ArchiveLimits limits = ArchiveLimits.DEFAULT;
        private long maxDiskBytes = DEFAULT_MAX_DISK_BYTES;
        private HttpClient httpClient;
        private Duration httpTimeout = Duration.ofMinutes(10);

        private Builder(RepositoryResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
        }

        private Builder copy() {
            Builder copy = new Builder(resolver);
            copy.temporaryRoot = temporaryRoot;
            copy.limits = limits;
            copy.maxDiskBytes = maxDiskBytes;
            copy.httpClient = httpClient;
            copy.httpTimeout = httpTimeout;
            return copy;
        }

        /** Directory under which workspaces are created (default: {@link #defaultRoot()}). */
        public Builder temporaryRoot(Path directory) {
            this.temporaryRoot = Objects.requireNonNull(directory);
            return this;
        }

        /** Caps on unpacking input archives (default {@link ArchiveLimits#DEFAULT}). */
        public Builder limits(ArchiveLimits archiveLimits) {
            this.limits = Objects.requireNonNull(archiveLimits);
            return this;
        }

        /**
         * The most bytes one workspace may hold: inputs as downloaded and unpacked, the outputs
         * written, and output archives while they are uploaded (default {@link
         * #DEFAULT_MAX_DISK_BYTES}).
         */
        public Builder maxDiskBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("the disk budget must be positive");
            }
            this.maxDiskBytes = bytes;
            return this;
        }

        /** Client for {@code http} inputs (default: redirects followed, 10 s to connect). */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client);
            return this;
        }

        /** Longest time one {@code http} input download may take (default 10 minutes). */
        public Builder httpTimeout(Duration timeout) {
            this.httpTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public ArtifactWorkspaces build() {
            return new ArtifactWorkspaces(this);
        }
    }
}
