package io.argowasm.artifacts.kubernetes;

import io.argowasm.artifacts.ArtifactRepositoryException;
import io.argowasm.artifacts.ArtifactRepositoryException.Reason;
import io.argowasm.artifacts.KeyFormat;
import io.argowasm.artifacts.S3Location;
import io.argowasm.artifacts.UnsupportedArtifactException;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The S3 part of an Argo ArtifactRepository object.
 *
 * @param location bucket, endpoint and credential references
 * @param keyFormat its {@code keyFormat} and {@code keyPrefix}
 */
record RepositoryConfig(S3Location location, KeyFormat keyFormat) {
    private static final List<String> OTHER_TYPES =
            List.of("artifactory", "azure", "gcs", "hdfs", "oss", "plugin", "hf", "git");

    static RepositoryConfig of(FoundRepository found) {
        JsonNode repository = found.repository();
        JsonNode s3 = repository.get("s3");
        if (s3 != null && s3.isObject()) {
            return new RepositoryConfig(
                    S3Location.fromJson(s3),
                    KeyFormat.of(text(s3, "keyFormat"), text(s3, "keyPrefix")));
        }
        for (String type : OTHER_TYPES) {
            if (repository.has(type)) {
                throw new UnsupportedArtifactException(
                        ("the artifact repository in %s is of type %s; the wasm plugin"
                                        + " supports only s3 repositories (AWS S3, MinIO and other"
                                        + " S3-compatible stores)")
                                .formatted(found.source(), type));
            }
        }
        throw new ArtifactRepositoryException(
                Reason.NOT_CONFIGURED,
                "the artifact repository in %s has no s3 section".formatted(found.source()));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
