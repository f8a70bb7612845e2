package io.argowasm.module.oci;

/**
 * The command-line flags that set how registries are reached, as the registry client's messages
 * name them; the command line declares its options with these names.
 */
public final class RegistryFlags {

    public static final String REGISTRY_CONFIG = "--registry-config";
    public static final String ALLOW_INSECURE_REGISTRIES = "--allow-insecure-registries";

    private RegistryFlags() {}
}
