package io.argowasm.module.oci;

import io.argowasm.module.ModuleLoadException;

/**
 * Where a step's registry logins come from in a cluster: the {@code kubernetes.io/dockerconfigjson}
 * Secrets of the workflow's {@code spec.imagePullSecrets} and the template's {@code
 * module.pullSecret}. Outside a cluster ({@code run}, {@code dry-run}) there are none, and logins
 * come from the Docker config file only.
 */
public interface PullSecrets {

    /**
     * Outside a cluster: no Secrets. A {@code module.pullSecret} is not an error there, so a
     * workflow tried with {@code run} or {@code dry-run} uses the login of the Docker config
     * instead; without one, the registry's refusal says where a login goes.
     */
    PullSecrets NONE = (namespace, workflow, pullSecret) -> RegistryCredentials.none();

    /**
     * The logins a step may use, the template's own Secret first.
     *
     * @param namespace the workflow's namespace
     * @param workflow the workflow's name
     * @param pullSecret the Secret {@code module.pullSecret} names, or null
     * @throws ModuleLoadException when {@code pullSecret} cannot be read, naming it and the fix
     */
    RegistryCredentials credentials(String namespace, String workflow, String pullSecret)
            throws ModuleLoadException;
}
