package io.argowasm.argo;

/**
 * The body of {@code POST /api/v1/template.execute}, as Argo's agent sends it ({@code
 * pkg/plugins/executor.ExecuteTemplateArgs}).
 */
public record ExecuteTemplateArgs(Workflow workflow, Template template) {}
