package io.argowasm.module.oci;

import io.argowasm.module.Digests;
import io.argowasm.module.ModuleLoadException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes a module: the layer and the CNCF wasm config as monolithic blob uploads (POST, then PUT
 * with the digest), then an OCI image manifest naming them, under a tag. The layer type is
 * wasm-to-oci's, which every wasm puller reads; the config is the CNCF one.
 */
public final class OciPusher {

    private static final byte[] CORE_HEADER = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

    private final RegistryClient client;
    private final ObjectMapper json = new ObjectMapper();

    public OciPusher(RegistryClient client) {
        this.client = client;
    }

    /**
     * What was pushed.
     *
     * @param reference the tag pushed, with the manifest digest
     * @param layerSha256 the module's sha256, 64 hex digits
     */
    public record Pushed(OciReference reference, String layerSha256) {}

    /**
     * Pushes a core module under the reference's tag.
     *
     * @param title the file name recorded in the layer's title annotation
     */
    public Pushed push(OciReference ref, byte[] module, String title) throws ModuleLoadException {
        if (ref.digest() != null) {
            throw new ModuleLoadException(
                    "push %s: give a tag, not a digest; the digest is printed after the push"
                            .formatted(ref));
        }
        if (module.length < 8 || !Arrays.equals(module, 0, 8, CORE_HEADER, 0, 8)) {
            throw new ModuleLoadException(
                    ("push: %s is not a WebAssembly core module (components and other files are"
                                    + " not run by this plugin)")
                            .formatted(title));
        }
        String layerDigest = "sha256:" + Digests.sha256(module);
        ObjectNode config = json.createObjectNode();
        config.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        config.put("architecture", "wasm");
        config.put("os", "wasip1");
        config.putArray("layerDigests").add(layerDigest);
        byte[] configBytes = json.writeValueAsBytes(config);
        String configDigest = "sha256:" + Digests.sha256(configBytes);
        upload(ref, configBytes, configDigest);
        upload(ref, module, layerDigest);

        ObjectNode manifest = json.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        ObjectNode configDescriptor = manifest.putObject("config");
        configDescriptor.put("mediaType", MediaTypes.CNCF_CONFIG);
        configDescriptor.put("digest", configDigest);
        configDescriptor.put("size", configBytes.length);
        ArrayNode layers = manifest.putArray("layers");
        ObjectNode layer = layers.addObject();
        layer.put("mediaType", MediaTypes.WASM_LAYER);
        layer.put("digest", layerDigest);
        layer.put("size", module.length);
        layer.putObject("annotations").put("org.opencontainers.image.title", title);
        byte[] manifestBytes = json.writeValueAsBytes(manifest);
        String manifestDigest = "sha256:" + Digests.sha256(manifestBytes);
        HttpResponse<InputStream> response =
                client.send(
                        ref,
                        HttpRequest.newBuilder(client.uri(ref, "manifests/" + ref.tag()))
                                .header("Content-Type", MediaTypes.OCI_MANIFEST)
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifestBytes)),
                        "pull,push",
                        "push %s".formatted(ref));
        expect(response, 201, ref, "the manifest");
        RegistryClient.close(response);
        return new Pushed(ref.withDigest(manifestDigest), Digests.sha256(module));
    }

    private void upload(OciReference ref, byte[] bytes, String digest) throws ModuleLoadException {
        String what = "push %s".formatted(ref);
        HttpResponse<InputStream> start =
                client.send(
                        ref,
                        HttpRequest.newBuilder(client.uri(ref, "blobs/uploads/"))
                                .POST(HttpRequest.BodyPublishers.noBody()),
                        "pull,push",
                        what);
        expect(start, 202, ref, "starting an upload");
        RegistryClient.close(start);
        String location =
                start.headers()
                        .firstValue("location")
                        .orElseThrow(
                                () ->
                                        new ModuleLoadException(
                                                "%s Location"
                                                        .formatted(
                                                                "%s: the registry started an upload without a"
                                                                        .formatted(what))));
        URI target = start.uri().resolve(location);
        String separator = target.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(target + separator + "digest=" + digest.replace(":", "%3A"));
        HttpResponse<InputStream> done =
                client.send(
                        ref,
                        HttpRequest.newBuilder(put)
                                .header("Content-Type", "application/octet-stream")
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)),
                        "pull,push",
                        what);
        expect(done, 201, ref, "uploading blob %s".formatted(digest));
        RegistryClient.close(done);
    }

    private void expect(
            HttpResponse<InputStream> response, int status, OciReference ref, String step)
            throws ModuleLoadException {
        if (response.statusCode() != status) {
            String codes = client.errorCodes(response);
            throw new ModuleLoadException(
                    "push %s: registry %s answered HTTP %d to %s%s"
                            .formatted(
                                    ref,
                                    ref.registry(),
                                    response.statusCode(),
                                    step,
                                    codes.isEmpty() ? "" : " (%s)".formatted(codes)));
        }
    }
}
