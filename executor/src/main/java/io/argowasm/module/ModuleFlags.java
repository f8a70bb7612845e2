package io.argowasm.module;

/**
 * The command-line flags that set where modules may come from and how many are kept, as the module
 * store's messages name them; the command line declares its options with these names.
 */
public final class ModuleFlags {

    public static final String MAX_MODULE_SIZE = "--max-module-size";
    public static final String MODULE_DIR = "--module-dir";
    public static final String MODULE_HOSTS = "--module-hosts";
    public static final String ALLOW_HTTP = "--allow-http";
    public static final String ALLOW_PRIVATE_MODULE_HOSTS = "--allow-private-module-hosts";
    public static final String MAX_MODULES = "--max-modules";
    public static final String MAX_COMPILED_CODE = "--max-compiled-code";
    public static final String FIRST_CALLS = "--first-calls";

    private ModuleFlags() {}
}
