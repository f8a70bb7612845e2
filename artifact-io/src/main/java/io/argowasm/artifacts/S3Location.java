package io.argowasm.artifacts;

import tools.jackson.databind.JsonNode;

/**
 * Argo's {@code s3} fields, on an artifact or in an artifact repository: where the bucket is and
 * how to authenticate. Holds Secret references, never secret values.
 *
 * @param endpoint host[:port], optionally with an {@code http://} or {@code https://} scheme
 * @param bucket bucket name
 * @param region bucket region, or {@code null}
 * @param insecure {@code true} for plain HTTP
 * @param addressingStyle {@code path}, {@code virtual-hosted} or {@code null} for automatic
 *     (virtual-hosted for AWS endpoints, path-style for every other endpoint)
 * @param accessKeySecret Secret holding the access key, or {@code null}
 * @param secretKeySecret Secret holding the secret key, or {@code null}
 * @param sessionTokenSecret Secret holding a session token, or {@code null}
 * @param useSdkCreds take credentials from the environment / IAM chain
 * @param roleArn Argo's {@code roleARN} (not supported here; kept to report it)
 * @param caSecret Argo's {@code caSecret} (not supported here; kept to report it)
 * @param encryption whether {@code encryptionOptions} ask for server-side encryption (not supported
 *     here; kept to report it)
 * @param key object key, or {@code null}
 */
public record S3Location(
        String endpoint,
        String bucket,
        String region,
        boolean insecure,
        String addressingStyle,
        SecretKeyRef accessKeySecret,
        SecretKeyRef secretKeySecret,
        SecretKeyRef sessionTokenSecret,
        boolean useSdkCreds,
        String roleArn,
        SecretKeyRef caSecret,
        boolean encryption,
        String key) {

    /** Parses an {@code s3} object of an artifact or of an artifact repository. */
    public static S3Location fromJson(JsonNode s3) {
        JsonNode encryptionOptions = s3.path("encryptionOptions");
        return new S3Location(
                JsonFields.text(s3, "endpoint"),
                JsonFields.text(s3, "bucket"),
                JsonFields.text(s3, "region"),
                JsonFields.flag(s3, "insecure"),
                JsonFields.text(s3, "addressingStyle"),
                SecretKeyRef.fromJson(s3.get("accessKeySecret")),
                SecretKeyRef.fromJson(s3.get("secretKeySecret")),
                SecretKeyRef.fromJson(s3.get("sessionTokenSecret")),
                JsonFields.flag(s3, "useSDKCreds"),
                JsonFields.text(s3, "roleARN"),
                SecretKeyRef.fromJson(s3.get("caSecret")),
                JsonFields.flag(encryptionOptions, "enableEncryption")
                        || JsonFields.text(encryptionOptions, "kmsKeyId") != null
                        || encryptionOptions.has("serverSideCustomerKeySecret"),
                JsonFields.text(s3, "key"));
    }

    /**
     * Argo's rule for an artifact that carries its own location: endpoint, bucket and key are all
     * set. Otherwise only the key counts and the workflow's repository supplies the rest.
     */
    public boolean isComplete() {
        return endpoint != null && bucket != null && key != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.endpoint = endpoint;
        builder.bucket = bucket;
        builder.region = region;
        builder.insecure = insecure;
        builder.addressingStyle = addressingStyle;
        builder.accessKeySecret = accessKeySecret;
        builder.secretKeySecret = secretKeySecret;
        builder.sessionTokenSecret = sessionTokenSecret;
        builder.useSdkCreds = useSdkCreds;
        builder.roleArn = roleArn;
        builder.caSecret = caSecret;
        builder.encryption = encryption;
        builder.key = key;
        return builder;
    }

    /** Builds a location field by field; unset fields stay {@code null} / {@code false}. */
    public static final class Builder {
        private String endpoint;
        private String bucket;
        private String region;
        private boolean insecure;
        private String addressingStyle;
        private SecretKeyRef accessKeySecret;
        private SecretKeyRef secretKeySecret;
        private SecretKeyRef sessionTokenSecret;
        private boolean useSdkCreds;
        private String roleArn;
        private SecretKeyRef caSecret;
        private boolean encryption;
        private String key;

        private Builder() {}

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

        public Builder insecure(boolean value) {
            insecure = value;
            return this;
        }

        public Builder addressingStyle(String value) {
            addressingStyle = value;
            return this;
        }

        public Builder accessKeySecret(SecretKeyRef value) {
            accessKeySecret = value;
            return this;
        }

        public Builder secretKeySecret(SecretKeyRef value) {
            secretKeySecret = value;
            return this;
        }

        public Builder sessionTokenSecret(SecretKeyRef value) {
            sessionTokenSecret = value;
            return this;
        }

        public Builder useSdkCreds(boolean value) {
            useSdkCreds = value;
            return this;
        }

        public Builder key(String value) {
            key = value;
            return this;
        }

        public S3Location build() {
            return new S3Location(
                    endpoint,
                    bucket,
                    region,
                    insecure,
                    addressingStyle,
                    accessKeySecret,
                    secretKeySecret,
                    sessionTokenSecret,
                    useSdkCreds,
                    roleArn,
                    caSecret,
                    encryption,
                    key);
        }
    }
}
