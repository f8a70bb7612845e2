package io.argowasm.argo;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Argo's {@code ExecuteTemplateReply}. An empty reply ({@code {}}) tells the agent the template
 * belongs to another plugin; {@code requeue} is a Go duration after which the agent calls again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecuteTemplateReply(NodeResult node, String requeue) {

    public static final ExecuteTemplateReply NOT_MINE = new ExecuteTemplateReply(null, null);

    public static ExecuteTemplateReply of(NodeResult node) {
        return new ExecuteTemplateReply(node, null);
    }
}
