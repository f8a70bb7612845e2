package io.argowasm.artifacts;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An uploaded output, as the plugin's reply carries it in {@code node.outputs.artifacts}.
 *
 * @param name the artifact name
 * @param path the template's path, or {@code null}
 * @param archive the strategy as declared (echoed unless default)
 * @param location where it was stored: only the key for the workflow's repository, the full
 *     location when the artifact declared one
 */
public record ArtifactReference(
        String name, String path, ArchiveStrategy archive, S3Location location) {

    public String key() {
        return location.key();
    }

    /** Argo's Artifact JSON: {@code {name, path, s3: {key}, archive}}. */
    public ObjectNode toJson() {
        ObjectNode artifact = JsonNodeFactory.instance.objectNode();
        artifact.put("name", name);
        if (path != null) {
            artifact.put("path", path);
        }
        artifact.set("s3", s3Json());
        ObjectNode declaredArchive = archive.toJson();
        if (declaredArchive != null) {
            artifact.set("archive", declaredArchive);
        }
        return artifact;
    }

    private ObjectNode s3Json() {
        ObjectNode s3 = JsonNodeFactory.instance.objectNode();
        putIfSet(s3, "endpoint", location.endpoint());
        putIfSet(s3, "bucket", location.bucket());
        putIfSet(s3, "region", location.region());
        if (location.insecure()) {
            s3.put("insecure", true);
        }
        putIfSet(s3, "addressingStyle", location.addressingStyle());
        putSecret(s3, "accessKeySecret", location.accessKeySecret());
        putSecret(s3, "secretKeySecret", location.secretKeySecret());
        putSecret(s3, "sessionTokenSecret", location.sessionTokenSecret());
        if (location.useSdkCreds()) {
            s3.put("useSDKCreds", true);
        }
        s3.put("key", location.key());
        return s3;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void putSecret(ObjectNode node, String field, SecretKeyRef ref) {
        if (ref != null) {
            ObjectNode secret = node.putObject(field);
            putIfSet(secret, "name", ref.name());
            putIfSet(secret, "key", ref.key());
        }
    }
}
