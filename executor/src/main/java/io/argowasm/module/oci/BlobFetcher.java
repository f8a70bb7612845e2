package io.argowasm.module.oci;

import io.argowasm.module.ModuleFlags;
import io.argowasm.module.ModuleLoadException;
import io.argowasm.module.oci.ManifestResolver.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Downloads one blob and checks it against its descriptor: the size before and while reading, the
 * sha256 after. The descriptor is the authority, since {@code Docker-Content-Digest} is optional
 * and absent after a redirect to storage.
 */
final class BlobFetcher {

    private final RegistryClient client;
    private final long maxBytes;

    BlobFetcher(RegistryClient client, long maxBytes) {
        this.client = client;
        this.maxBytes = maxBytes;
    }

    byte[] fetch(OciReference ref, Descriptor blob, RegistryLogins logins)
            throws ModuleLoadException {
        String what = "module oci %s (layer %s)".formatted(ref, blob.digest());
        if (blob.size() > maxBytes) {
            throw new ModuleLoadException(
                    "%s is %d bytes, larger than the %d MiB module size cap (%s)"
                            .formatted(
                                    what,
                                    blob.size(),
                                    maxBytes >> 20,
                                    ModuleFlags.MAX_MODULE_SIZE));
        }
        HttpResponse<InputStream> response =
                client.send(
                        ref,
                        HttpRequest.newBuilder(client.uri(ref, "blobs/" + blob.digest())).GET(),
                        "pull",
                        what,
                        logins);
        if (response.statusCode() != 200) {
            String codes = client.errorCodes(response);
            throw new ModuleLoadException(
                    "%s could not be fetched: HTTP %d%s from %s"
                            .formatted(
                                    what,
                                    response.statusCode(),
                                    codes.isEmpty() ? "" : " (%s)".formatted(codes),
                                    response.uri().getAuthority()));
        }
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
        byte[] bytes;
        try (InputStream in = new DigestInputStream(response.body(), sha256)) {
            bytes = in.readNBytes((int) blob.size() + 1);
        } catch (IOException e) {
            throw new ModuleLoadException(
                    "%s could not be read: %s".formatted(what, e.getMessage()), e);
        }
        if (bytes.length != blob.size()) {
            throw new ModuleLoadException(
                    ("%s: the registry sent %s bytes where the manifest says %d; the registry or"
                                    + " a proxy in between is faulty")
                            .formatted(
                                    what,
                                    bytes.length > blob.size() ? "more" : bytes.length,
                                    blob.size()));
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        if (!digest.equals(blob.digest())) {
            throw new ModuleLoadException(
                    ("%s: the registry sent bytes whose digest is %s; the registry or a proxy in"
                                    + " between is faulty")
                            .formatted(what, digest));
        }
        return bytes;
    }
}
