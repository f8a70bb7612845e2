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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    private S3ArtifactRepository(Builder builder) {
        this.bucket = builder.bucket;
        this.endpoint = endpointUrl(builder.endpoint, builder.insecure);
        this.partSize = builder.partSize;
        MinioClient.Builder minio =
                MinioClient.builder()
                        .endpoint(endpoint)
                        .credentialsProvider(builder.credentials.provider())
                        .httpClient(HTTP, false);
        if (builder.region != null) {
            minio.region(builder.region);
        }
        this.client = minio.build();
        if ("path".equals(builder.addressingStyle)) {
            client.disableVirtualStyleEndpoint();
        } else if ("virtual-hosted".equals(builder.addressingStyle)) {
            client.enableVirtualStyleEndpoint();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The bucket an Argo {@code s3} location describes (its {@code key} is ignored).
     *
     * @throws UnsupportedArtifactException for {@code roleARN}, {@code caSecret} and {@code
     *     encryptionOptions}, which this plugin does not implement
     */
    public static S3ArtifactRepository forLocation(S3Location location, S3Credentials credentials) {
        String where = "bucket '" + location.bucket() + "' at " + location.endpoint();
        if (location.roleArn() != null) {
            throw new UnsupportedArtifactException(
                    "the S3 repository "
                            + where
                            + " uses roleARN, which the wasm plugin does not"
                            + " support; use useSDKCreds (for example with IRSA) or key Secrets");
        }
        if (location.caSecret() != null) {
            throw new UnsupportedArtifactException(
                    "the S3 repository "
                            + where
                            + " uses caSecret, which the wasm plugin does not"
                            + " support; set SSL_CERT_FILE on the plugin container instead");
        }
        if (location.encryption()) {
            throw new UnsupportedArtifactException(
                    "the S3 repository "
                            + where
                            + " asks for encryptionOptions, which the wasm plugin does not"
                            + " support; use bucket default encryption instead");
        }
        if (location.bucket() == null) {
            throw new ArtifactRepositoryException(
                    Reason.NOT_CONFIGURED,
                    "the S3 repository at " + location.endpoint() + " names no bucket");
        }
        return builder()
                .endpoint(location.endpoint())
                .bucket(location.bucket())
                .region(location.region())
                .insecure(location.insecure())
                .addressingStyle(location.addressingStyle())
                .credentials(credentials)
                .build();
    }

    @Override
    public void download(String artifact, String key, Path target) {
        GetObjectArgs request = GetObjectArgs.builder().bucket(bucket).object(key).build();
        try (InputStream object = client.getObject(request)) {
            Files.copy(object, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (MinioException | RuntimeException e) {
            throw S3Failures.translate(
                    e,
                    artifact,
                    key,
                    "read input artifact '" + artifact + "' (key '" + key + "')",
                    description());
        } catch (IOException e) {
            throw new ArtifactException(
                    "input artifact '"
                            + artifact
                            + "': reading key '"
                            + key
                            + "' from "
                            + description()
                            + " failed: "
                            + e.getMessage(),
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
                    "store output artifact '" + artifact + "' (key '" + key + "')",
                    description());
        }
    }

    @Override
    public String description() {
        return "bucket '" + bucket + "' at " + endpoint;
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

    /** Settings of one bucket; endpoint, bucket and credentials are required. */
    public static final class Builder {
        private String endpoint;
        private String bucket;
        private String region;
        private boolean insecure;
        private String addressingStyle;
        private S3Credentials credentials;
        private long partSize = DEFAULT_PART_SIZE;

        private Builder() {}

        /**
         * {@code host[:port]} (HTTPS unless {@link #insecure}) or a full {@code http(s)://} URL.
         */
        public Builder endpoint(String value) {
            endpoint = value;
            return this;
        }

        public Builder bucket(String value) {
            bucket = value;
            return this;
        }

        public Builder region(String value) {
            region = value;
            return this;
        }

        /** Plain HTTP for a {@code host[:port]} endpoint, as Argo's {@code insecure: true}. */
        public Builder insecure(boolean value) {
            insecure = value;
            return this;
        }

        /**
         * {@code "path"}, {@code "virtual-hosted"}, or {@code null}: virtual-hosted for AWS
         * endpoints and path-style for all others, as Argo's automatic lookup.
         */
        public Builder addressingStyle(String value) {
            if (value != null
                    && !value.isEmpty()
                    && !value.equals("path")
                    && !value.equals("virtual-hosted")) {
                throw new IllegalArgumentException(
                        "addressingStyle must be path or virtual-hosted, got '" + value + "'");
            }
            addressingStyle = value;
            return this;
        }

        public Builder credentials(S3Credentials value) {
            credentials = value;
            return this;
        }

        /** Part size of multipart uploads, and the largest object sent in one PUT (16 MiB). */
        public Builder partSize(long bytes) {
            partSize = bytes;
            return this;
        }

        public S3ArtifactRepository build() {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(credentials, "credentials");
            return new S3ArtifactRepository(this);
        }
    }
}
