package io.argowasm.module.oci;

import java.util.Set;

/** The media types of manifests and of the layers a module may be published as. */
final class MediaTypes {

    private MediaTypes() {}

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** What a manifest request accepts: without the OCI types, registries answer 404. */
    static final String ACCEPT =
            String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST);

    /** wasm-to-oci, Kubewarden, Envoy. */
    static final String WASM_LAYER = "application/vnd.wasm.content.layer.v1+wasm";

    /** The CNCF TAG Runtime layout (wkg, wasm-pkg-tools). */
    static final String CNCF_WASM_LAYER = "application/wasm";

    /** solo-io's layout, as Istio reads it. */
    static final String SOLO_WASM_LAYER = "application/vnd.module.wasm.content.layer.v1+wasm";

    /** {@code oras push} without a type: the raw file, despite the name; taken if it is wasm. */
    static final String ORAS_DEFAULT_LAYER = "application/vnd.oci.image.layer.v1.tar";

    static final Set<String> MODULE_LAYERS =
            Set.of(WASM_LAYER, CNCF_WASM_LAYER, SOLO_WASM_LAYER, ORAS_DEFAULT_LAYER);

    /** The CNCF config this project's {@code push} writes. */
    static final String CNCF_CONFIG = "application/vnd.wasm.config.v0+json";

    static final String SPIN_APP_LAYER = "application/vnd.fermyon.spin.application.v1+config";
}
