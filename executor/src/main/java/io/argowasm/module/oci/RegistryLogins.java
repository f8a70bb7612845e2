package io.argowasm.module.oci;

import io.argowasm.module.ModuleLoadException;

/**
 * The registry logins one pull may use besides the client's own, looked up only when a registry
 * asks for a login, so a step whose module is public or cached never reads a Secret.
 */
@FunctionalInterface
public interface RegistryLogins {

    /** No logins beyond the client's own. */
    RegistryLogins NONE = RegistryCredentials::none;

    /**
     * @throws ModuleLoadException naming the Secret or file that could not be read and the fix
     */
    RegistryCredentials credentials() throws ModuleLoadException;
}
