package io.argowasm.module.oci;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A module in an OCI registry: {@code REGISTRY/REPOSITORY[:TAG][@sha256:DIGEST]}, read as Docker
 * and Kubernetes read image references. A digest, when given, wins over the tag.
 *
 * @param registry the registry host, with its port if any; {@code docker.io} for Docker Hub
 * @param repository the repository path, e.g. {@code team/greet}
 * @param tag the tag, or null when only a digest is given; {@code latest} when neither is
 * @param digest the manifest digest as {@code sha256:<64 hex>}, or null
 */
public record OciReference(String registry, String repository, String tag, String digest) {

    static final String DOCKER_HUB = "docker.io";

    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern COMPONENT =
            Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern HOST =
            Pattern.compile(
                    "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\\.?)+(?::[0-9]{1,5})?"
                            + "|\\[[0-9a-fA-F:.]+\\](?::[0-9]{1,5})?");

    /**
     * Reads a reference.
     *
     * @throws IllegalArgumentException saying which part is wrong, with an example
     */
    public static OciReference parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        if (s.contains("://")) {
            throw invalid(text, "give it without a scheme");
        }
        String digest = null;
        int at = s.indexOf('@');
        if (at >= 0) {
            digest = s.substring(at + 1);
            s = s.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw invalid(
                        text,
                        "the digest '%s' is not sha256: and 64 lowercase hex digits"
                                .formatted(digest));
            }
        }
        String tag = null;
        int slash = s.lastIndexOf('/');
        int colon = s.lastIndexOf(':');
        if (colon > slash) {
            tag = s.substring(colon + 1);
            s = s.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(text, "the tag '%s' is not a valid tag".formatted(tag));
            }
        }
        String registry = DOCKER_HUB;
        String repository = s;
        int first = s.indexOf('/');
        if (first > 0) {
            String head = s.substring(0, first);
            if (head.contains(".")
                    || head.contains(":")
                    || head.equals("localhost")
                    || head.startsWith("[")) {
                registry = head.toLowerCase(Locale.ROOT);
                repository = s.substring(first + 1);
                if (!HOST.matcher(registry).matches()) {
                    throw invalid(text, "the registry '%s' is not a host[:port]".formatted(head));
                }
            }
        }
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        for (String component : repository.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid(
                        text,
                        ("the repository path part '%s' is not lowercase letters and digits"
                                        + " joined by . _ or -")
                                .formatted(component));
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new OciReference(registry, repository, tag, digest);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException(
                ("module.oci '%s' is not a registry reference: %s; write"
                                + " REGISTRY/REPOSITORY[:TAG][@sha256:DIGEST], e.g."
                                + " ghcr.io/team/greet:v1")
                        .formatted(text, why));
    }

    /** The host the registry API answers on: Docker Hub's differs from its name. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** The host without its port, as the insecure-registry flag and credentials may name it. */
    public String hostName() {
        String host = registry;
        if (host.startsWith("[")) {
            return host.substring(0, host.indexOf(']') + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 ? host.substring(0, colon) : host;
    }

    /** What the manifest is asked for by: the digest when known, else the tag. */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    /** The same reference pinned to a manifest digest, keeping the tag for messages. */
    public OciReference withDigest(String manifestDigest) {
        return new OciReference(registry, repository, tag, manifestDigest);
    }

    /** The same reference with another tag and no digest. */
    public OciReference withTag(String newTag) {
        return new OciReference(registry, repository, newTag, null);
    }

    @Override
    public String toString() {
        return registry
                + "/"
                + repository
                + (tag == null ? "" : ":" + tag)
                + (digest == null ? "" : "@" + digest);
    }
}
