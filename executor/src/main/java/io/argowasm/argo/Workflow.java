package io.argowasm.argo;

/** The workflow a template belongs to; Argo sends only its metadata. */
public record Workflow(WorkflowMetadata metadata) {

    /** The metadata, or an empty one when an old agent sent none. */
    public WorkflowMetadata metadataOrEmpty() {
        return metadata == null ? new WorkflowMetadata(null, null, null) : metadata;
    }
}
