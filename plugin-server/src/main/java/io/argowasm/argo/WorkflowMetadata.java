package io.argowasm.argo;

/**
 * The workflow's identity. Argo 3.3 sends only {@code name}; namespace and uid arrive from 3.4.2
 * on.
 */
public record WorkflowMetadata(String name, String namespace, String uid) {}
