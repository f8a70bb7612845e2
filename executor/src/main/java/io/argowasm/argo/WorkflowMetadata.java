package io.argowasm.argo;

import java.util.Map;

/**
 * The workflow's identity. Argo 3.3 sends only {@code name}; namespace and uid arrive from 3.4.2
 * on. Argo's agent sends no annotations; a caller that does (another agent, {@code dry-run}) can
 * pass {@code workflows.argoproj.io/trace-id}, which traces join.
 */
public record WorkflowMetadata(
        String name, String namespace, String uid, Map<String, String> annotations) {

    /** The annotation Argo (4.1 and later) puts the workflow's trace id in. */
    public static final String TRACE_ID_ANNOTATION = "workflows.argoproj.io/trace-id";

    public WorkflowMetadata(String name, String namespace, String uid) {
        this(name, namespace, uid, null);
    }

    /** The workflow's trace id, or null. */
    public String traceId() {
        return annotations == null ? null : annotations.get(TRACE_ID_ANNOTATION);
    }
}
