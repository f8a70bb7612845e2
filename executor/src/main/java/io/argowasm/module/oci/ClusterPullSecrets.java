package io.argowasm.module.oci;

import io.argowasm.artifacts.WorkflowRef;
import io.argowasm.artifacts.kubernetes.RegistrySecrets;
import io.argowasm.module.ModuleLoadException;

/**
 * A step's registry logins from the cluster: the Docker configs of its pull Secrets ({@link
 * RegistrySecrets}), each read as a Docker config file is and matched to the registry as Kubernetes
 * matches {@code auths} keys; the template's {@code module.pullSecret} before the workflow's {@code
 * imagePullSecrets}.
 */
public final class ClusterPullSecrets implements PullSecrets {

    private final RegistrySecrets secrets;

    public ClusterPullSecrets(RegistrySecrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public RegistryCredentials credentials(String namespace, String workflow, String pullSecret)
            throws ModuleLoadException {
        if (namespace == null || namespace.isEmpty() || workflow == null || workflow.isEmpty()) {
            if (pullSecret != null) {
                throw new ModuleLoadException(
                        ("module.pullSecret '%s' cannot be read: the request names no workflow"
                                        + " namespace (Argo sends it from v3.4.2)")
                                .formatted(pullSecret));
            }
            return RegistryCredentials.none();
        }
        RegistryCredentials logins = RegistryCredentials.none();
        try {
            for (RegistrySecrets.DockerConfig config :
                    secrets.forWorkflow(new WorkflowRef(workflow, namespace, ""), pullSecret)) {
                logins = logins.and(RegistryCredentials.parse(config.json(), config.source()));
            }
        } catch (RegistrySecrets.SecretException | IllegalArgumentException e) {
            throw new ModuleLoadException(e.getMessage(), e);
        }
        return logins;
    }
}
