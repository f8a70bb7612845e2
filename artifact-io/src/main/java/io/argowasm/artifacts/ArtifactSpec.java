package io.argowasm.artifacts;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One entry of a template's {@code inputs.artifacts} or {@code outputs.artifacts}, as Argo sends
 * it.
 *
 * @param name the artifact name, unique within the template's inputs or outputs
 * @param path the template's {@code path} (plugin templates must declare one); outputs use its base
 *     name inside the archive, as Argo does
 * @param optional a missing input or an output never written is not an error
 * @param archive the declared archive strategy
 * @param source the declared location
 */
public record ArtifactSpec(
        String name,
        String path,
        boolean optional,
        ArchiveStrategy archive,
        ArtifactSource source) {

    /** Location fields of Argo's Artifact other than s3, raw and http. */
    private static final List<String> OTHER_LOCATIONS =
            List.of("artifactory", "azure", "gcs", "git", "hdfs", "hf", "oss", "plugin");

    public ArtifactSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(source, "source");
        if (name.isBlank()) {
            throw new IllegalArgumentException("artifact name must not be blank");
        }
    }

    /** An artifact stored in the workflow's repository under the given key. */
    public static ArtifactSpec s3Key(String name, String path, String key) {
        return new ArtifactSpec(
                name,
                path,
                false,
                ArchiveStrategy.DEFAULT,
                new ArtifactSource.S3(S3Location.builder().key(key).build()));
    }

    /** An output with no location of its own. */
    public static ArtifactSpec output(String name, String path) {
        return new ArtifactSpec(
                name, path, false, ArchiveStrategy.DEFAULT, new ArtifactSource.Unset());
    }

    public ArtifactSpec withArchive(ArchiveStrategy strategy) {
        return new ArtifactSpec(name, path, optional, strategy, source);
    }

    public ArtifactSpec withOptional(boolean isOptional) {
        return new ArtifactSpec(name, path, isOptional, archive, source);
    }

    /**
     * Reads an artifact object from Argo's template JSON ({@code template.inputs.artifacts[i]}).
     * Unknown fields are ignored.
     *
     * @throws IllegalArgumentException when {@code name} is missing
     */
    public static ArtifactSpec fromJson(JsonNode artifact) {
        String name = JsonFields.text(artifact, "name");
        if (name == null) {
            throw new IllegalArgumentException("artifact without a name: %s".formatted(artifact));
        }
        return new ArtifactSpec(
                name,
                JsonFields.text(artifact, "path"),
                JsonFields.flag(artifact, "optional"),
                ArchiveStrategy.fromJson(artifact.get("archive")),
                sourceOf(artifact));
    }

    private static ArtifactSource sourceOf(JsonNode artifact) {
        JsonNode s3 = artifact.get("s3");
        if (s3 != null && s3.isObject()) {
            return new ArtifactSource.S3(S3Location.fromJson(s3));
        }
        JsonNode raw = artifact.get("raw");
        if (raw != null && raw.isObject()) {
            String data = JsonFields.text(raw, "data");
            return new ArtifactSource.Raw(data == null ? "" : data);
        }
        JsonNode http = artifact.get("http");
        if (http != null && http.isObject()) {
            if (http.has("auth")) {
                return new ArtifactSource.Unsupported("http with auth");
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (JsonNode header : http.path("headers").values()) {
                if (header.has("valueFrom")) {
                    return new ArtifactSource.Unsupported("http header with valueFrom");
                }
                headers.add(
                        new AbstractMap.SimpleImmutableEntry<>(
                                JsonFields.text(header, "name"),
                                header.path("value").asString("")));
            }
            return new ArtifactSource.Http(JsonFields.text(http, "url"), headers);
        }
        for (String type : OTHER_LOCATIONS) {
            JsonNode location = artifact.get(type);
            if (location != null && location.isObject()) {
                return new ArtifactSource.Unsupported(type);
            }
        }
        return new ArtifactSource.Unset();
    }
}
