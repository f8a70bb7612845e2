package io.argowasm.exec;

import io.argowasm.argo.Artifact;
import io.argowasm.argo.NodeResult;
import io.argowasm.argo.Outputs;
import io.argowasm.argo.Parameter;
import io.argowasm.argo.Template;
import io.argowasm.artifacts.ArtifactException;
import io.argowasm.artifacts.ArtifactSpec;
import io.argowasm.artifacts.ArtifactWorkspace;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.StagedArtifact;
import io.argowasm.metrics.PluginMetrics;
import io.argowasm.metrics.PluginMetrics.Reason;
import io.argowasm.metrics.PluginMetrics.Stage;
import io.argowasm.wapc.GuestCallException;
import io.argowasm.wapc.GuestFiles;
import io.argowasm.wapc.GuestOutput;
import io.argowasm.wapc.HostBindings;
import io.argowasm.wapc.HostFlags;
import io.argowasm.wapc.InstanceLimits;
import io.argowasm.wapc.WapcModule;
import io.argowasm.wapc.WasiCommand;
import io.argowasm.wapc.WasiProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One invocation of a WASI command: its {@code /work} tree built in memory (the earlier plugin's
 * {@code input.json}, the input artifacts read-only under {@code artifacts-in}, a writable {@code
 * artifacts-out}), the payload on stdin, {@code _start} run once on a fresh instance, then its
 * answer read from {@code /work/result.json} or stdout and its output artifacts from {@code
 * artifacts-out}. Nothing of the tree outlives the invocation.
 */
final class WasiStep {

    private static final Logger log = LoggerFactory.getLogger(WasiStep.class);

    private final JsonMapper json;
    private final ArtifactWorkspaces workspaces;
    private final PayloadLimits payloadLimits;
    private final PluginMetrics metrics;
    private final long maxFileBytes;
    private final HttpCapability http;

    /**
     * @param maxFileBytes what the guest may hold in files it writes
     * @param http the sidecar's HTTP rules, which a template's permissions narrow
     */
    WasiStep(
            JsonMapper json,
            ArtifactWorkspaces workspaces,
            PayloadLimits payloadLimits,
            PluginMetrics metrics,
            long maxFileBytes,
            HttpCapability http) {
        this.json = json;
        this.workspaces = workspaces;
        this.payloadLimits = payloadLimits;
        this.metrics = metrics;
        this.maxFileBytes = maxFileBytes;
        this.http = http;
    }

    void call(Invocation invocation, Template template, WasmPluginSpec spec, WapcModule module)
            throws StepFailure {
        ObjectNode payload = GuestPayload.build(json, invocation.step(), template, spec);
        StepArtifacts artifacts = null;
        if (WasmStep.declaresArtifacts(template)) {
            if (workspaces == null) {
                throw StepFailure.because(
                        Reason.TEMPLATE,
                        "the template declares artifacts, but this plugin runs without an"
                                + " artifact repository",
                        null);
            }
            long staging = System.nanoTime();
            artifacts =
                    StepArtifacts.stage(
                            json,
                            workspaces,
                            invocation.step(),
                            invocation.key().shortId(),
                            template);
            stage(invocation, Stage.ARTIFACTS_IN, staging);
            metrics.artifactBytes(true, artifacts.stagedBytes());
        }
        NodeResult result;
        try {
            result = run(invocation, template, spec, module, payload, artifacts);
        } finally {
            if (artifacts != null) {
                artifacts.close();
            }
        }
        // Published only once the workspace is gone, so a finished step leaves no files behind.
        invocation.complete(
                result,
                result.phase() == io.argowasm.argo.NodePhase.Succeeded
                        ? Reason.OK
                        : Reason.GUEST_ERROR);
    }

    private NodeResult run(
            Invocation invocation,
            Template template,
            WasmPluginSpec spec,
            WapcModule module,
            ObjectNode payload,
            StepArtifacts artifacts)
            throws StepFailure {
        GuestFiles files = new GuestFiles(maxFileBytes, true);
        try {
            files.addFile(
                    FileContract.INPUT,
                    FileContract.input(json, invocation.step(), template, spec));
            files.addDirectory(FileContract.ARTIFACTS_IN, false);
            files.addDirectory(FileContract.ARTIFACTS_OUT, true);
            if (artifacts != null) {
                mount(files, artifacts, (ObjectNode) payload.get("artifacts"));
            }
            List<String> argv = new ArrayList<>();
            argv.add(invocation.step().template());
            argv.addAll(spec.wasi().args());
            WasiProcess process =
                    new WasiProcess(
                            argv, spec.wasi().env(), json.writeValueAsBytes(payload), files);
            WasiCommand.Exit exit = start(invocation, spec, module, process);
            Optional<String> refusal = files.refusal();
            if (refusal.isPresent()) {
                throw StepFailure.because(Reason.GUEST_ERROR, refusal.get(), null);
            }
            if (exit.exitCode() != 0) {
                throw StepFailure.because(
                        Reason.GUEST_ERROR,
                        "the WASI command exited with code %d".formatted(exit.exitCode()),
                        null);
            }
            Answer answer = answer(invocation, template, spec, files, exit);
            if (!answer.node().phase().equals(io.argowasm.argo.NodePhase.Succeeded)) {
                return answer.node();
            }
            if (artifacts == null || invocation.decided()) {
                return answer.node();
            }
            long uploading = System.nanoTime();
            collectOutputs(files, artifacts, answer.artifactPaths());
            List<Artifact> uploaded = artifacts.upload();
            stage(invocation, Stage.ARTIFACTS_OUT, uploading);
            metrics.artifactBytes(false, artifacts.uploadedBytes());
            return NodeResult.succeeded(
                    answer.node().message(),
                    new Outputs(answer.node().outputs().parameters(), uploaded, null));
        } catch (IllegalArgumentException e) {
            throw StepFailure.beforeTheModule(e.getMessage(), e);
        } finally {
            files.release();
        }
    }

    /**
     * Puts the staged inputs under {@code artifacts-in} and makes the directories of the declared
     * outputs under {@code artifacts-out}; the payload says where each lies ({@code file}).
     */
    private static void mount(GuestFiles files, StepArtifacts artifacts, ObjectNode described) {
        artifacts.describeTo(described);
        for (StagedArtifact input : artifacts.inputs().values()) {
            String at =
                    FileContract.ARTIFACTS_IN + "/" + areaPath(input.name(), input.templatePath());
            files.addHost(at, input.path());
            ((ObjectNode) described.get(input.name()))
                    .put("file", WasiProcess.DIRECTORY + "/" + at);
        }
        for (ArtifactSpec output : artifacts.outputs()) {
            String at = FileContract.ARTIFACTS_OUT + "/" + areaPath(output.name(), output.path());
            int slash = at.lastIndexOf('/');
            files.addDirectory(at.substring(0, slash), true);
            ((ObjectNode) described.get(output.name()))
                    .put("file", WasiProcess.DIRECTORY + "/" + at);
        }
    }

    private static String areaPath(String name, String path) {
        String inArea = FileContract.workingDirPath(path == null || path.isEmpty() ? name : path);
        if (inArea.isEmpty() || List.of(inArea.split("/")).contains("..")) {
            throw new IllegalArgumentException(
                    ("artifact '%s' has the path '%s', which names no file below /work; give it a"
                                    + " path such as /data/%s")
                            .formatted(name, path, name));
        }
        return inArea;
    }

    private WasiCommand.Exit start(
            Invocation invocation, WasmPluginSpec spec, WapcModule module, WasiProcess process)
            throws StepFailure {
        InstanceLimits limits =
                new InstanceLimits(
                        spec.memoryBytes(),
                        payloadLimits.maxResponseBytes(),
                        InstanceLimits.DEFAULT_MAX_HOST_PAYLOAD_BYTES);
        HostBindings bindings = http.bindings(spec, invocation.step());
        long start = System.nanoTime();
        try {
            return WasiCommand.run(module, limits, process, bindings, invocation.output());
        } catch (GuestCallException e) {
            throw WasmStep.stepFailure(e);
        } finally {
            stage(invocation, Stage.CALL, start);
        }
    }

    /** The node the guest answered, and where its output artifacts lie. */
    private record Answer(NodeResult node, Map<String, String> artifactPaths) {}

    private Answer answer(
            Invocation invocation,
            Template template,
            WasmPluginSpec spec,
            GuestFiles files,
            WasiCommand.Exit exit)
            throws StepFailure {
        Optional<byte[]> resultFile = files.read(FileContract.RESULT);
        WasiContract contract = spec.wasi().contract();
        if (contract == null) {
            contract = resultFile.isPresent() ? WasiContract.FILES : WasiContract.STDIO;
        }
        if (contract == WasiContract.STDIO) {
            return new Answer(stdioAnswer(template, exit), Map.of());
        }
        printStdout(invocation.output(), exit.stdout());
        if (resultFile.isEmpty()) {
            throw new StepFailure(
                    "the WASI command did not write /work/result.json, which"
                            + " plugin.wasm.contract: files requires");
        }
        FileContract.Result result = FileContract.parse(json, resultFile.get());
        if (!result.succeeded()) {
            return new Answer(NodeResult.failed(result.message()), Map.of());
        }
        GuestReply reply = new GuestReply(result.parameters(), result.message());
        List<Parameter> parameters = reply.outputs(template.outputsOrEmpty().parameters());
        payloadLimits.checkOutputs(parameters);
        for (String name : result.artifactPaths().keySet()) {
            if (template.outputsOrEmpty().artifacts().stream()
                    .noneMatch(a -> name.equals(a.getName()))) {
                log.warn(
                        "[{}] /work/result.json lists output artifact '{}', which the template"
                                + " does not declare; it is not uploaded",
                        invocation.step().describe(),
                        name);
            }
        }
        return new Answer(
                NodeResult.succeeded(result.message(), new Outputs(parameters, List.of(), null)),
                result.artifactPaths());
    }

    private NodeResult stdioAnswer(Template template, WasiCommand.Exit exit) throws StepFailure {
        if (exit.stdoutCut()) {
            throw new StepFailure(
                    "the WASI command wrote more than the sidecar's cap of %d bytes to stdout (%s)"
                            .formatted(
                                    payloadLimits.maxResponseBytes(), HostFlags.MAX_RESPONSE_SIZE));
        }
        if (exit.stdout().length == 0) {
            throw new StepFailure(
                    "the WASI command wrote nothing to stdout and no /work/result.json; it answers"
                            + " with {\"parameters\":{...}} on stdout, or writes /work/result.json"
                            + " (see docs/module-authors.md)");
        }
        GuestReply reply = GuestReply.parse(json, exit.stdout());
        List<Parameter> parameters = reply.outputs(template.outputsOrEmpty().parameters());
        payloadLimits.checkOutputs(parameters);
        return NodeResult.succeeded(reply.message(), new Outputs(parameters, List.of(), null));
    }

    /** Under the file contract stdout is no answer: it goes to the log like stderr. */
    private static void printStdout(GuestOutput output, byte[] stdout) {
        if (stdout.length == 0) {
            return;
        }
        for (String line : new String(stdout, StandardCharsets.UTF_8).split("\n")) {
            output.line(GuestOutput.Stream.stdout, line);
        }
    }

    /**
     * Copies what the guest wrote for each declared output from {@code artifacts-out} into the
     * workspace, where {@link StepArtifacts#upload} finds it; an output never written is left for
     * it to report.
     */
    private static void collectOutputs(
            GuestFiles files, StepArtifacts artifacts, Map<String, String> listedPaths)
            throws StepFailure {
        ArtifactWorkspace workspace = artifacts.workspace();
        try {
            for (ArtifactSpec output : artifacts.outputs()) {
                String path = listedPaths.getOrDefault(output.name(), output.path());
                String at = FileContract.ARTIFACTS_OUT + "/" + areaPath(output.name(), path);
                if (files.isDirectory(at)) {
                    for (String entry : files.filesBelow(at)) {
                        write(
                                workspace,
                                output.name(),
                                workspace.outputEntry(output.name(), entry),
                                files.read(at + "/" + entry).orElseThrow());
                    }
                } else {
                    Optional<byte[]> bytes = files.read(at);
                    if (bytes.isPresent()) {
                        write(
                                workspace,
                                output.name(),
                                workspace.outputPath(output.name()),
                                bytes.get());
                    }
                }
            }
        } catch (ArtifactException | UncheckedIOException e) {
            throw StepFailure.because(Reason.ARTIFACT, StepArtifacts.explained(e), e);
        }
    }

    private static void write(ArtifactWorkspace workspace, String name, Path file, byte[] bytes) {
        try (OutputStream out = workspace.appendTo(name, file)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "output artifact '%s' could not be written: %s".formatted(name, e.getMessage()),
                    e);
        }
    }

    private void stage(Invocation invocation, Stage stage, long start) {
        long end = System.nanoTime();
        metrics.stage(stage, end - start);
        invocation.span().stage(stage.spanName(), start, end);
    }
}
