/**
 * Argo's wire types, one record per Argo object ({@code ExecuteTemplateArgs}, {@code
 * ExecuteTemplateReply}, {@code NodeResult}, {@code Template}, {@code Artifact}...), and the one
 * JSON mapper that reads and writes them ({@code Json}). Unknown fields are ignored, so newer Argo
 * versions keep working. It may depend on Jackson only.
 */
package io.argowasm.argo;
