package io.argowasm.artifacts.s3;

import io.argowasm.artifacts.ArtifactException;
import io.argowasm.artifacts.ArtifactRepository;
import io.argowasm.artifacts.ArtifactRepositoryException;
import io.argowasm.artifacts.ArtifactRepositoryException.Reason;
import io.argowasm.artifacts.S3Location;
import io.argowasm.artifacts.UnsupportedArtifactException;
import io.minio.GetObjectArgs;
import io.minio.Http;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import io.minio.errors.MinioException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * An S3 bucket (AWS, MinIO, or any S3-compatible store) accessed with minio-java. Downloads stream
 * into the target file; uploads stream from the source file, in one PUT up to the part size and as
 * a multipart upload above it, which minio aborts when a part fails, so a failed upload never
 * leaves an object under the key.
 */
public final class S3ArtifactRepository implements ArtifactRepository {
    /** One connection pool for every bucket this process talks to. */
    private static final OkHttpClient HTTP = Http.newDefaultClient();

    private static final long DEFAULT_PART_SIZE = 16L << 20;

    private final MinioClient client;
    private final String bucket;
    private final String endpoint;
    private final long partSize;

    private S3ArtifactRepository(S3Location location, S3Credentials credentials, long partSize) {
        this.bucket = location.bucket();
        this.endpoint = endpointUrl(location.endpoint(), location.insecure());
        this.partSize = partSize;
        MinioClient.Builder minio =
                MinioClient.builder()
                        .endpoint(endpoint)
                        .credentialsProvider(credentials.provider())
                        .httpClient(HTTP, false);
        if (location.region() != null) {
            minio.region(location.region());
        }
        this.client = minio.build();
        if ("path".equals(location.addressingStyle())) {
            client.disableVirtualStyleEndpoint();
        } else if ("virtual-hosted".equals(location.addressingStyle())) {
            client.enableVirtualStyleEndpoint();
        }
    }

    /**
     * The bucket an Argo {@code s3} location describes (its {@code key} is ignored): {@code
     * endpoint} ({@code host[:port]}, HTTPS unless {@code insecure}, or a full {@code http(s)://}
     * URL; AWS when absent), {@code bucket}, {@code region} and {@code addressingStyle} ({@code
     * path}, {@code virtual-hosted}, or absent: virtual-hosted for AWS endpoints and path-style for
     * all others, as Argo's automatic lookup).
     */
    public static Builder builder(S3Location location, S3Credentials credentials) {
        return new Builder(location, credentials);
    }

    @Override
    public void download(String artifact, String key, OutputStream target) {
        GetObjectArgs request = GetObjectArgs.builder().bucket(bucket).object(key).build();
        try (InputStream object = client.getObject(request)) {
            object.transferTo(target);
        } catch (ArtifactException e) {
            throw e;
        } catch (MinioException | RuntimeException e) {
            throw S3Failures.translate(
                    e,
                    artifact,
                    key,
                    "read input artifact '%s' (key '%s')".formatted(artifact, key),
                    description());
        } catch (IOException e) {
            throw new ArtifactException(
                    "input artifact '%s': reading key '%s' from %s failed: %s"
                            .formatted(artifact, key, description(), e.getMessage()),
                    e);
        }
    }

    @Override
    public void upload(String artifact, String key, Path source) {
        try {
            UploadObjectArgs request =
                    UploadObjectArgs.builder()
                            .bucket(bucket)
                            .object(key)
                            .filename(source.toString(), partSize)
                            .build();
            client.uploadObject(request);
        } catch (MinioException | RuntimeException e) {
            throw S3Failures.translate(
                    e,
                    artifact,
                    key,
                    "store output artifact '%s' (key '%s')".formatted(artifact, key),
                    description());
        }
    }

    @Override
    public String description() {
        return "bucket '%s' at %s".formatted(bucket, endpoint);
    }

    @Override
    public String toString() {
        return "S3ArtifactRepository[" + description() + "]";
    }

    /** Argo endpoints are {@code host[:port]}; {@code insecure} means plain HTTP. */
    static String endpointUrl(String endpoint, boolean insecure) {
        String host = endpoint == null || endpoint.isBlank() ? "s3.amazonaws.com" : endpoint;
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return host;
        }
        return (insecure ? "http://" : "https://") + host;
    }

    /** Options of one repository. */
    public static final class Builder {
        private final S3Location location;
        private final S3Credentials credentials;
        private long partSize = DEFAULT_PART_SIZE;

        private Builder(S3Location location, S3Credentials credentials) {
            this.location = Objects.requireNonNull(location, "location");
            this.credentials = Objects.requireNonNull(credentials, "credentials");
        }

        /** Part size of multipart uploads, and the largest object sent in one PUT (16 MiB). */
        public Builder partSize(long bytes) {
            partSize = bytes;
            return this;
        }

        /**
         * @throws UnsupportedArtifactException for {@code roleARN}, {@code caSecret} and {@code
         *     encryptionOptions}, which this plugin does not implement
         * @throws ArtifactRepositoryException when no bucket is named
         */
        public S3ArtifactRepository build() {
            String where = "bucket '%s' at %s".formatted(location.bucket(), location.endpoint());
            if (location.roleArn() != null) {
                throw new UnsupportedArtifactException(
                        ("the S3 repository %s uses roleARN, which the wasm plugin does not"
                             + " support; use useSDKCreds (for example with IRSA) or key Secrets")
                                .formatted(where));
            }
            if (location.caSecret() != null) {
                throw new UnsupportedArtifactException(
                        ("the S3 repository %s uses caSecret, which the wasm plugin does not"
                             + " support; set SSL_CERT_FILE on the plugin container instead")
                                .formatted(where));
            }
            if (location.encryption()) {
                throw new UnsupportedArtifactException(
                        ("the S3 repository %s asks for encryptionOptions, which the wasm plugin"
                             + " does not support; use bucket default encryption instead")
                                .formatted(where));
            }
            if (location.bucket() == null) {
                throw new ArtifactRepositoryException(
                        Reason.NOT_CONFIGURED,
                        "the S3 repository at %s names no bucket".formatted(location.endpoint()));
            }
            String style = location.addressingStyle();
            if (style != null && !style.equals("path") && !style.equals("virtual-hosted")) {
                throw new ArtifactRepositoryException(
                        Reason.NOT_CONFIGURED,
                        ("the S3 repository %s has addressingStyle '%s'; use path or"
                                        + " virtual-hosted")
                                .formatted(where, style));
            }
            return new S3ArtifactRepository(location, credentials, partSize);
        }
    }
}
