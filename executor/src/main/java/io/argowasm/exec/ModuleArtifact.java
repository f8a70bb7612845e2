package io.argowasm.exec;

import io.argowasm.argo.Artifact;
import io.argowasm.argo.Inputs;
import io.argowasm.argo.Template;
import io.argowasm.artifacts.ArtifactException;
import io.argowasm.artifacts.ArtifactSource;
import io.argowasm.artifacts.ArtifactSpec;
import io.argowasm.artifacts.ArtifactWorkspace;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.StagedArtifact;
import io.argowasm.artifacts.WorkflowRef;
import io.argowasm.module.ModuleFlags;
import io.argowasm.module.ModuleLoadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code module.artifact}: the module is one of the template's input artifacts, so an earlier step
 * can build or choose it. An s3 or http artifact is downloaded as any input is (a tar+gzip
 * unpacked, where it must hold exactly one {@code .wasm} file); a raw artifact holds the module in
 * base64, since Argo keeps raw data as text in the Workflow. The guest does not see this artifact.
 */
final class ModuleArtifact {

    private ModuleArtifact() {}

    /** The template's input artifact the module is, or a failure naming the declared ones. */
    static Artifact declared(Template template, String name) throws ModuleLoadException {
        List<Artifact> inputs = template.inputsOrEmpty().artifacts();
        return inputs.stream()
                .filter(a -> name.equals(a.getName()))
                .findFirst()
                .orElseThrow(
                        () ->
                                new ModuleLoadException(
                                        ("plugin.wasm.module.artifact '%s' is not one of the"
                                                        + " template's input artifacts (%s);"
                                                        + " declare it under inputs.artifacts")
                                                .formatted(
                                                        name,
                                                        inputs.isEmpty()
                                                                ? "it has none"
                                                                : String.join(
                                                                        ", ",
                                                                        inputs.stream()
                                                                                .map(
                                                                                        Artifact
                                                                                                ::getName)
                                                                                .toList()))));
    }

    /** The template as the guest sees it: without the artifact that is its module. */
    static Template withoutModule(Template template, String name) {
        Inputs inputs = template.inputsOrEmpty();
        return new Template(
                template.name(),
                new Inputs(
                        inputs.parameters(),
                        inputs.artifacts().stream()
                                .filter(a -> !name.equals(a.getName()))
                                .toList()),
                template.outputs(),
                template.plugin());
    }

    /**
     * Reads the module's bytes from the artifact.
     *
     * @param maxBytes the module size cap (--max-module-size)
     */
    static byte[] read(
            JsonMapper json,
            ArtifactWorkspaces workspaces,
            StepContext step,
            String invocationId,
            Artifact artifact,
            long maxBytes)
            throws ModuleLoadException {
        String what = "module artifact '%s'".formatted(artifact.getName());
        ArtifactSpec spec;
        try {
            spec = ArtifactSpec.fromJson(json.valueToTree(artifact));
        } catch (IllegalArgumentException e) {
            throw new ModuleLoadException("%s is invalid: %s".formatted(what, e.getMessage()), e);
        }
        if (spec.source() instanceof ArtifactSource.Raw raw) {
            return fromBase64(raw.data(), what, maxBytes);
        }
        if (workspaces == null) {
            throw new ModuleLoadException(
                    "%s cannot be read: this plugin runs without an artifact repository"
                            .formatted(what));
        }
        try (ArtifactWorkspace workspace =
                workspaces.open(
                        new WorkflowRef(step.workflow(), step.namespace(), step.uid()),
                        invocationId + "-module")) {
            Optional<StagedArtifact> staged = workspace.download(spec.withOptional(false));
            if (staged.isEmpty()) {
                throw new ModuleLoadException("%s does not exist".formatted(what));
            }
            return readFile(wasmFile(staged.get(), what), what, maxBytes);
        } catch (ArtifactException | UncheckedIOException | IllegalArgumentException e) {
            throw new ModuleLoadException(
                    "%s could not be downloaded: %s".formatted(what, StepArtifacts.explained(e)),
                    e);
        }
    }

    private static byte[] fromBase64(String data, String what, long maxBytes)
            throws ModuleLoadException {
        byte[] bytes;
        try {
            // Line breaks (base64 without -w0, YAML block scalars) are not part of the data.
            bytes = Base64.getDecoder().decode(data.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new ModuleLoadException(
                    ("%s is a raw artifact whose data is not base64; Argo keeps raw data as text,"
                                    + " so give the module as base64 (base64 -w0 module.wasm)")
                            .formatted(what),
                    e);
        }
        if (bytes.length > maxBytes) {
            throw new ModuleLoadException(
                    "%s is larger than the %d MiB module size cap (%s)"
                            .formatted(what, maxBytes >> 20, ModuleFlags.MAX_MODULE_SIZE));
        }
        return bytes;
    }

    /** The artifact's file, or the one {@code .wasm} file of an unpacked archive. */
    private static Path wasmFile(StagedArtifact staged, String what) throws ModuleLoadException {
        if (!staged.isDirectory()) {
            return staged.path();
        }
        List<String> modules = staged.entries().stream().filter(e -> e.endsWith(".wasm")).toList();
        if (modules.size() != 1) {
            throw new ModuleLoadException(
                    ("%s is an archive of %d files with %d ending in .wasm (%s); it must hold"
                                    + " exactly one module")
                            .formatted(
                                    what,
                                    staged.entries().size(),
                                    modules.size(),
                                    String.join(", ", staged.entries())));
        }
        return staged.resolve(modules.get(0));
    }

    private static byte[] readFile(Path file, String what, long maxBytes)
            throws ModuleLoadException {
        try {
            if (Files.size(file) > maxBytes) {
                throw new ModuleLoadException(
                        "%s is larger than the %d MiB module size cap (%s)"
                                .formatted(what, maxBytes >> 20, ModuleFlags.MAX_MODULE_SIZE));
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModuleLoadException(
                    "%s could not be read: %s".formatted(what, e.getMessage()), e);
        }
    }
}
