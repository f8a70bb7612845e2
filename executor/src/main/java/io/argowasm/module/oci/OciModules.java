package io.argowasm.module.oci;

import io.argowasm.module.ModuleLoadException;
import io.argowasm.module.oci.ManifestResolver.Descriptor;
import io.argowasm.module.oci.ManifestResolver.Resolved;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modules from OCI registries. A tag is resolved to a manifest digest once per process (or again
 * after {@code --tag-ttl}); what a manifest digest names never changes, so it is resolved once.
 */
public final class OciModules {

    private static final Logger log = LoggerFactory.getLogger(OciModules.class);

    private static final byte[] WASM_MAGIC = {0x00, 0x61, 0x73, 0x6d};

    private final ManifestResolver manifests;
    private final BlobFetcher blobs;
    private final Duration tagTtl;
    private final Map<String, Resolved> byDigest = new ConcurrentHashMap<>();
    private final Map<String, TagEntry> byTag = new ConcurrentHashMap<>();

    private record TagEntry(Resolved resolved, Instant at) {}

    /** Where a reference points now: its manifest digest and the module layer. */
    public record Located(OciReference reference, Descriptor layer) {
        /** The layer's sha256 as 64 hex digits, the digest modules are kept by. */
        public String layerSha256() {
            return layer.digest().substring("sha256:".length());
        }
    }

    /**
     * @param maxBytes the largest module accepted (--max-module-size)
     * @param tagTtl how long a tag's digest is trusted; null for the life of the process
     */
    public OciModules(RegistryClient client, long maxBytes, Duration tagTtl) {
        this.manifests = new ManifestResolver(client);
        this.blobs = new BlobFetcher(client, maxBytes);
        this.tagTtl = tagTtl;
    }

    /**
     * Resolves a reference to its manifest digest and module layer, from the registry only when not
     * known yet.
     *
     * @param logins the step's logins, read only when the registry asks for one
     * @return the reference with its resolved digest, and the layer
     */
    public Located locate(OciReference ref, RegistryLogins logins) throws ModuleLoadException {
        if (ref.digest() != null) {
            Resolved known = byDigest.get(ref.digest());
            if (known == null) {
                known = manifests.resolve(ref, logins);
                byDigest.put(ref.digest(), known);
            }
            return new Located(ref, known.layer());
        }
        String key = ref.toString();
        TagEntry entry = byTag.get(key);
        if (entry == null || (tagTtl != null && entry.at().plus(tagTtl).isBefore(Instant.now()))) {
            Resolved resolved = manifests.resolve(ref, logins);
            byDigest.put(resolved.manifestDigest(), resolved);
            entry = new TagEntry(resolved, Instant.now());
            byTag.put(key, entry);
            log.info(
                    "module oci {} resolved to {} (layer {})",
                    ref,
                    resolved.manifestDigest(),
                    resolved.layer().digest());
        }
        return new Located(
                ref.withDigest(entry.resolved().manifestDigest()), entry.resolved().layer());
    }

    /** The module bytes of a located reference, verified, and refused when not a core module. */
    public byte[] fetch(Located located, RegistryLogins logins) throws ModuleLoadException {
        byte[] bytes = blobs.fetch(located.reference(), located.layer(), logins);
        String what =
                "module oci %s (layer %s)".formatted(located.reference(), located.layer().digest());
        if (bytes.length < 8 || !java.util.Arrays.equals(bytes, 0, 4, WASM_MAGIC, 0, 4)) {
            throw new ModuleLoadException(
                    "%s: the %s layer is not a WebAssembly binary (no \\0asm header)"
                            .formatted(what, located.layer().mediaType()));
        }
        if (bytes[4] == 0x0d && bytes[5] == 0x00 && bytes[6] == 0x01 && bytes[7] == 0x00) {
            throw new ModuleLoadException(
                    ("%s is a WebAssembly component (component model), which this plugin does"
                                    + " not run; publish a core module built for waPC"
                                    + " (wasm32-unknown-unknown or wasm32-wasip1)")
                            .formatted(what));
        }
        return bytes;
    }
}
