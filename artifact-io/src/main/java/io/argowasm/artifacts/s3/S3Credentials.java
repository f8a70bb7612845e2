package io.argowasm.artifacts.s3;

import io.minio.credentials.AwsConfigProvider;
import io.minio.credentials.AwsEnvironmentProvider;
import io.minio.credentials.ChainedProvider;
import io.minio.credentials.IamAwsProvider;
import io.minio.credentials.MinioEnvironmentProvider;
import io.minio.credentials.Provider;
import io.minio.credentials.StaticProvider;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How to authenticate to S3. Its {@link #toString()} names the kind of credentials, never a key.
 */
public final class S3Credentials {
    private final String description;
    private final Supplier<Provider> provider;

    private S3Credentials(String description, Supplier<Provider> provider) {
        this.description = description;
        this.provider = provider;
    }

    /** Fixed keys, as read from the Secrets an artifact repository names. */
    public static S3Credentials of(String accessKey, String secretKey, String sessionToken) {
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        String token = sessionToken == null || sessionToken.isEmpty() ? null : sessionToken;
        return new S3Credentials(
                "access key from Secret",
                () -> new StaticProvider(accessKey.trim(), secretKey.trim(), token));
    }

    /**
     * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and optionally {@code
     * AWS_SESSION_TOKEN} from the environment: for local runs against a MinIO or S3 of one's own.
     */
    public static S3Credentials fromEnvironment() {
        return new S3Credentials(
                "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY", AwsEnvironmentProvider::new);
    }

    /**
     * The standard chain for {@code useSDKCreds} (and for repositories that name no Secret, as Argo
     * falls back to IAM): {@code AWS_ACCESS_KEY_ID}..., {@code MINIO_ACCESS_KEY}..., the shared
     * credentials file, then IAM: web identity / IRSA ({@code AWS_WEB_IDENTITY_TOKEN_FILE}, {@code
     * AWS_ROLE_ARN}), the ECS container endpoint, or the EC2 instance role.
     */
    public static S3Credentials sdkChain() {
        return new S3Credentials(
                "SDK credential chain (environment, credentials file, IAM)",
                () ->
                        new ChainedProvider(
                                new AwsEnvironmentProvider(),
                                new MinioEnvironmentProvider(),
                                new AwsConfigProvider(null, null),
                                new IamAwsProvider(null, null)));
    }

    Provider provider() {
        return provider.get();
    }

    @Override
    public String toString() {
        return description;
    }
}
