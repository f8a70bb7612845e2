package io.argowasm.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Opens {@link ArtifactWorkspace}s: the long-lived entry point of this library. Build one at
 * start-up and share it; it is thread-safe.
 *
 * <pre>{@code
 * ArtifactWorkspaces workspaces =
 *         ArtifactWorkspaces.builder(KubernetesRepositoryResolver.builder(client).build())
 *                 .limits(new ArchiveLimits(8L << 30, 50_000))
 *                 .build();
 * }</pre>
 */
public final class ArtifactWorkspaces {
    private static final Pattern INVOCATION_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final RepositoryResolver resolver;
    private final Path temporaryRoot;
    private final ArchiveUnpacker unpacker;
    private final HttpFetcher http;

    private ArtifactWorkspaces(Builder builder) {
        this.resolver = builder.resolver;
        this.temporaryRoot = builder.temporaryRoot;
        this.unpacker = new ArchiveUnpacker(builder.limits);
        this.http = new HttpFetcher(builder.httpClient, builder.httpTimeout);
    }

    public static Builder builder(RepositoryResolver resolver) {
        return new Builder(resolver);
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
                    "invocation id '"
                            + invocationId
                            + "' is not usable in a key: use 1-128 letters, digits, '_', '.', '-'");
        }
        try {
            Files.createDirectories(temporaryRoot);
            Path root = Files.createTempDirectory(temporaryRoot, "artifacts-");
            return new ArtifactWorkspace(root, workflow, invocationId, resolver, unpacker, http);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create an artifact workspace under " + temporaryRoot, e);
        }
    }

    /** Options of {@link ArtifactWorkspaces}. */
    public static final class Builder {
        private final RepositoryResolver resolver;
        private Path temporaryRoot = Path.of(System.getProperty("java.io.tmpdir"));
        private ArchiveLimits limits = ArchiveLimits.DEFAULT;
        private HttpClient httpClient;
        private Duration httpTimeout = Duration.ofMinutes(10);

        private Builder(RepositoryResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
        }

        /** Directory under which workspaces are created (default: {@code java.io.tmpdir}). */
        public Builder temporaryRoot(Path directory) {
            this.temporaryRoot = Objects.requireNonNull(directory);
            return this;
        }

        /** Caps on unpacking input archives (default {@link ArchiveLimits#DEFAULT}). */
        public Builder limits(ArchiveLimits archiveLimits) {
            this.limits = Objects.requireNonNull(archiveLimits);
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
