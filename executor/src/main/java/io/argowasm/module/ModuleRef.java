package io.argowasm.module;

import io.argowasm.module.oci.OciReference;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a module comes from: an http(s) URL, a path on the sidecar's file system, an OCI registry
 * or one of the template's input artifacts, optionally pinned by the sha256 digest of its bytes.
 */
public record ModuleRef(URI url, Path file, OciReference oci, String artifact, String sha256) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public ModuleRef {
        if ((url != null ? 1 : 0)
                        + (file != null ? 1 : 0)
                        + (oci != null ? 1 : 0)
                        + (artifact != null ? 1 : 0)
                != 1) {
            throw new IllegalArgumentException(
                    "a module needs exactly one of url, file, oci or artifact");
        }
        if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException(
                    "module url '%s' must be http:// or https:// (use file: for local paths)"
                            .formatted(url));
        }
        if (sha256 != null) {
            sha256 = normaliseDigest(sha256);
        }
    }

    public static ModuleRef ofUrl(URI url, String sha256) {
        return new ModuleRef(url, null, null, null, sha256);
    }

    public static ModuleRef ofFile(Path file, String sha256) {
        return new ModuleRef(null, file, null, null, sha256);
    }

    public static ModuleRef ofOci(OciReference oci, String sha256) {
        return new ModuleRef(null, null, oci, null, sha256);
    }

    /** The module is the template's input artifact of this name, read by the step. */
    public static ModuleRef ofArtifact(String artifact, String sha256) {
        return new ModuleRef(null, null, null, artifact, sha256);
    }

    /**
     * Accepts a digest as 64 hex characters, optionally prefixed {@code sha256:}.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static String normaliseDigest(String digest) {
        String hex = digest.trim().toLowerCase(Locale.ROOT);
        if (hex.startsWith("sha256:")) {
            hex = hex.substring("sha256:".length());
        }
        if (!HEX64.matcher(hex).matches()) {
            throw new IllegalArgumentException(
                    "sha256 '%s' is not a sha256 digest (64 hexadecimal characters)"
                            .formatted(digest));
        }
        return hex;
    }

    /** How messages name the module. */
    public String describe() {
        if (oci != null) {
            return "oci %s".formatted(oci);
        }
        if (artifact != null) {
            return "artifact '%s'".formatted(artifact);
        }
        return url != null ? url.toString() : file.toString();
    }
}
