/**
 * Argo artifacts for the wasm executor plugin: resolve the workflow's artifact repository, stage
 * input artifacts on local disk, and store output artifacts, with Argo's archive layout. Nothing
 * here knows of WebAssembly; callers see files, directories and {@link
 * io.argowasm.artifacts.ArtifactReference}s, never S3 requests.
 *
 * <h2>Using it from the plugin server</h2>
 *
 * <pre>{@code
 * // Once, at start-up (in a cluster; FixedRepositoryResolver.of(...) for local runs):
 * ArtifactWorkspaces workspaces = ArtifactWorkspaces.builder(
 *         KubernetesRepositoryResolver.builder(kubernetesClient).controllerNamespace("argo").build())
 *     .build();
 *
 * // Per template.execute call:
 * WorkflowRef workflow = new WorkflowRef(meta.name(), meta.namespace(), meta.uid());
 * try (ArtifactWorkspace workspace = workspaces.open(workflow, invocationId)) {
 *     for (JsonNode input : template.inputs.artifacts) {              // Argo's JSON, as sent
 *         workspace.download(ArtifactSpec.fromJson(input))            // empty: optional, absent
 *             .ifPresent(staged -> guestInputs.put(staged.name(), staged));
 *     }
 *     // host "read":  staged.path(), or staged.resolve(entry) for "<name>/<entry>"
 *     // host "write": workspace.outputPath(name), or workspace.outputEntry(name, entry)
 *     runGuest(...);
 *     for (JsonNode output : template.outputs.artifacts) {
 *         workspace.upload(ArtifactSpec.fromJson(output))             // empty: optional, unwritten
 *             .ifPresent(ref -> replyArtifacts.add(ref.toJson()));    // {name, path, s3: {key}}
 *     }
 * }   // close() deletes every staged and written file
 * }</pre>
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li>Inputs: {@code s3} (a key in the workflow's repository, or a complete location), {@code
 *       raw} and {@code http}. Objects that are a gzip'd tar by content are unpacked (unless {@code
 *       archive: none}); a single top-level entry becomes the artifact itself, several become a
 *       directory, as in Argo's executor. Unpacking refuses escaping paths, links leading out,
 *       special files, and more than {@link io.argowasm.artifacts.ArchiveLimits} allow.
 *   <li>Outputs: a tar+gzip of the file or directory (entries named after the base name of the
 *       template's {@code path}) stored as {@code <name>.tgz}, or the raw file with {@code archive:
 *       none}. Keys come from the repository's {@code keyFormat} when a plugin node can fill it,
 *       else {@code <workflow>/<workflow>-wasm-<invocation id>/<name>[.tgz]} (see {@link
 *       io.argowasm.artifacts.KeyFormat}).
 *   <li>Failures are {@link io.argowasm.artifacts.ArtifactException}s whose messages name the
 *       artifact, key, bucket and endpoint, and never a credential.
 * </ul>
 */
package io.argowasm.artifacts;
