package io.argowasm.artifacts.kubernetes;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Argo's custom resources as fabric8's generic client reaches them, without a typed model. */
public final class ArgoResources {

    /** {@code workflows.argoproj.io}: read for artifact repositories, pull secrets, trace ids. */
    public static final ResourceDefinitionContext WORKFLOWS =
            new ResourceDefinitionContext.Builder()
                    .withGroup("argoproj.io")
                    .withVersion("v1alpha1")
                    .withKind("Workflow")
                    .withPlural("workflows")
                    .withNamespaced(true)
                    .build();

    private ArgoResources() {}
}
