package io.argowasm.module.oci;

import io.argowasm.module.Digests;
import io.argowasm.module.ModuleLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Fetches a reference's manifest, checks it against its digest, resolves an image index to the wasm
 * manifest and picks the one layer that holds the module.
 */
final class ManifestResolver {

    private static final int MAX_MANIFEST_BYTES = 4 << 20;

    private final RegistryClient client;
    private final ObjectMapper json = new ObjectMapper();

    ManifestResolver(RegistryClient client) {
        this.client = client;
    }

    /** A manifest's digest and the layer holding the module. */
    record Resolved(String manifestDigest, Descriptor layer) {}

    /** A content descriptor: what a blob is, its digest and size. */
    record Descriptor(String mediaType, String digest, long size) {}

    /** Resolves a reference (tag or digest) to its manifest digest and module layer. */
    Resolved resolve(OciReference ref, RegistryLogins logins) throws ModuleLoadException {
        Fetched manifest = fetch(ref, ref.manifestReference(), logins);
        if (manifest.mediaType().equals(MediaTypes.OCI_INDEX)
                || manifest.mediaType().equals(MediaTypes.DOCKER_LIST)) {
            String chosen = chooseFromIndex(ref, manifest.body());
            Fetched inner = fetch(ref, chosen, logins);
            return new Resolved(manifest.digest(), layer(ref, inner));
        }
        return new Resolved(manifest.digest(), layer(ref, manifest));
    }

    private record Fetched(String digest, String mediaType, JsonNode body) {}

    private Fetched fetch(OciReference ref, String reference, RegistryLogins logins)
            throws ModuleLoadException {
        String what = "module oci %s".formatted(ref);
        HttpResponse<InputStream> response =
                client.send(
                        ref,
                        HttpRequest.newBuilder(client.uri(ref, "manifests/" + reference))
                                .header("Accept", MediaTypes.ACCEPT)
                                .GET(),
                        "pull",
                        what,
                        logins);
        if (response.statusCode() == 404) {
            String codes = client.errorCodes(response);
            throw new ModuleLoadException(
                    ("%s: registry %s has no manifest %s in repository %s (%s); check the"
                                    + " repository and the tag or digest, e.g. with the output of"
                                    + " push")
                            .formatted(
                                    what,
                                    ref.registry(),
                                    reference,
                                    ref.repository(),
                                    codes.isEmpty() ? "HTTP 404" : codes));
        }
        if (response.statusCode() == 429) {
            RegistryClient.close(response);
            throw new ModuleLoadException(
                    "%s: registry %s limits pulls (HTTP 429%s); retry later or pull with a login"
                            .formatted(
                                    what,
                                    ref.registry(),
                                    response.headers()
                                            .firstValue("retry-after")
                                            .map(s -> ", retry after %ss".formatted(s))
                                            .orElse("")));
        }
        if (response.statusCode() != 200) {
            String codes = client.errorCodes(response);
            throw new ModuleLoadException(
                    "%s: registry %s answered HTTP %d for manifest %s%s"
                            .formatted(
                                    what,
                                    ref.registry(),
                                    response.statusCode(),
                                    reference,
                                    codes.isEmpty() ? "" : " (%s)".formatted(codes)));
        }
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw new ModuleLoadException(
                    "%s: manifest could not be read: %s".formatted(what, e.getMessage()), e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new ModuleLoadException("%s: manifest is larger than 4 MiB".formatted(what));
        }
        String digest = "sha256:" + Digests.sha256(bytes);
        if (reference.startsWith("sha256:") && !reference.equals(digest)) {
            throw new ModuleLoadException(
                    ("%s: the registry sent a manifest whose digest is %s, not the %s asked for;"
                                    + " the registry or a proxy in between is faulty")
                            .formatted(what, digest, reference));
        }
        JsonNode body;
        try {
            body = json.readTree(bytes);
        } catch (JacksonException e) {
            throw new ModuleLoadException("%s: manifest %s is not JSON".formatted(what, digest), e);
        }
        String contentType =
                response.headers().firstValue("content-type").orElse("").split(";")[0].trim();
        String declared = body.path("mediaType").asString("");
        if (!declared.isEmpty() && !contentType.isEmpty() && !declared.equals(contentType)) {
            throw new ModuleLoadException(
                    "%s: manifest %s is served as %s but declares %s"
                            .formatted(what, digest, contentType, declared));
        }
        String type = declared.isEmpty() ? contentType : declared;
        if (type.isEmpty() && body.has("manifests")) {
            type = MediaTypes.OCI_INDEX;
        }
        return new Fetched(digest, type.isEmpty() ? MediaTypes.OCI_MANIFEST : type, body);
    }

    /** The index entry for wasm (platform wasm/wasip1), or its only entry. */
    private static String chooseFromIndex(OciReference ref, JsonNode index)
            throws ModuleLoadException {
        List<JsonNode> entries = new ArrayList<>();
        index.path("manifests").forEach(entries::add);
        for (JsonNode entry : entries) {
            if (entry.path("platform").path("architecture").asString("").equals("wasm")
                    && !entry.path("platform").path("os").asString("").equals("wasip2")) {
                return digestOf(ref, entry);
            }
        }
        if (entries.size() == 1) {
            return digestOf(ref, entries.get(0));
        }
        List<String> platforms =
                entries.stream()
                        .map(
                                e ->
                                        "%s/%s"
                                                .formatted(
                                                        e.path("platform").path("os").asString("?"),
                                                        e.path("platform")
                                                                .path("architecture")
                                                                .asString("?")))
                        .toList();
        throw new ModuleLoadException(
                ("module oci %s is an image index without a wasm entry (platforms: %s); push the"
                                + " module itself, or an index with platform architecture wasm")
                        .formatted(
                                ref, platforms.isEmpty() ? "none" : String.join(", ", platforms)));
    }

    private static String digestOf(OciReference ref, JsonNode entry) throws ModuleLoadException {
        String digest = entry.path("digest").asString("");
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new ModuleLoadException(
                    "module oci %s: index entry has no sha256 digest ('%s')"
                            .formatted(ref, digest));
        }
        return digest;
    }

    private static Descriptor layer(OciReference ref, Fetched manifest) throws ModuleLoadException {
        String what = "module oci %s (manifest %s)".formatted(ref, manifest.digest());
        List<Descriptor> layers = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (JsonNode layer : manifest.body().path("layers")) {
            String type = layer.path("mediaType").asString("");
            found.add(type);
            if (type.equals(MediaTypes.SPIN_APP_LAYER)) {
                throw new ModuleLoadException(
                        ("%s is a Spin application, not a module; this plugin runs one waPC"
                                        + " module per step")
                                .formatted(what));
            }
            if (MediaTypes.MODULE_LAYERS.contains(type)) {
                layers.add(
                        new Descriptor(
                                type,
                                layer.path("digest").asString(""),
                                layer.path("size").asLong(-1)));
            }
        }
        if (layers.size() != 1) {
            throw new ModuleLoadException(
                    ("%s has %s; expected exactly one layer of type %s (found: %s). Publish the"
                                    + " module with push, wasm-to-oci or oras push m.wasm:%s")
                            .formatted(
                                    what,
                                    layers.isEmpty()
                                            ? "no WebAssembly layer"
                                            : "%s WebAssembly layers".formatted(layers.size()),
                                    String.join(
                                            " or ",
                                            MediaTypes.WASM_LAYER,
                                            MediaTypes.CNCF_WASM_LAYER),
                                    found.isEmpty() ? "no layers" : String.join(", ", found),
                                    MediaTypes.CNCF_WASM_LAYER));
        }
        Descriptor layer = layers.get(0);
        if (!layer.digest().matches("sha256:[0-9a-f]{64}") || layer.size() < 0) {
            throw new ModuleLoadException(
                    "%s: the layer has no sha256 digest or size".formatted(what));
        }
        return layer;
    }
}
