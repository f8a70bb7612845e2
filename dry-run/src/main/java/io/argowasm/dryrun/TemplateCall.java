package io.argowasm.dryrun;

/**
 * One run of a template: where its node goes in the tree and what it is given.
 *
 * @param parent the node it is a child of, or {@code null} for the workflow's root
 * @param name Argo's node name
 * @param displayName the name {@code argo get} shows
 * @param order its place among its siblings (see {@link NodeTree#create})
 */
record TemplateCall(
        Node parent,
        String name,
        String displayName,
        ResolvedTemplate template,
        Arguments arguments,
        long order) {}
