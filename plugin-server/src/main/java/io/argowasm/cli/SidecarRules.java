package io.argowasm.cli;

import io.argowasm.dryrun.WorkflowLint;
import io.argowasm.module.ModuleSourcePolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The rules the sidecar runs with, for {@code --strict} and for the warnings local commands print:
 * {@code serve}'s options as the plugin manifest's {@code args} set them, with the flags given to
 * the local command over them.
 *
 * @param runtime the sidecar's runtime options
 * @param source how messages name where the rules come from
 */
record SidecarRules(RuntimeOptions runtime, String source) {

    static final String MANIFEST_NAME = "argo-plugin.yaml";

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /**
     * Reads the rules.
     *
     * @param options {@code --plugin-manifest}
     * @param workflow the workflow or template file the command reads, or null
     * @param command the local command, whose explicitly given flags override the manifest's
     * @throws IllegalArgumentException when the manifest cannot be read, or its args are not {@code
     *     serve}'s
     */
    static SidecarRules of(StrictOptions options, Path workflow, CommandSpec command) {
        Path manifest = options.manifest != null ? options.manifest : findManifest(workflow);
        List<String> args = manifest == null ? List.of() : serveArgs(manifest);
        ServeCommand serve = new ServeCommand();
        CommandLine serveLine = new CommandLine(serve);
        try {
            serveLine.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(
                    "%s: the sidecar's args are not serve's: %s"
                            .formatted(manifest, e.getMessage()),
                    e);
        }
        CommandSpec serveSpec = serveLine.getCommandSpec();
        for (OptionSpec given : command.commandLine().getParseResult().matchedOptions()) {
            OptionSpec same = serveSpec.findOption(given.longestName());
            if (same != null) {
                same.setValue(given.getValue());
            }
        }
        return new SidecarRules(
                serve.runtime, manifest == null ? "serve's defaults" : manifest.toString());
    }

    /**
     * What a lint checks against these rules.
     *
     * @param strict whether a refusal is a problem rather than a warning
     */
    WorkflowLint.Sidecar lintRules(boolean strict) {
        // Whether a host is private is decided where it resolves; a host this machine cannot
        // resolve is reported by loading the module, not as a refusal of the sidecar.
        ModuleSourcePolicy policy =
                runtime.sourcePolicyBuilder(true)
                        .resolver(
                                host -> {
                                    try {
                                        return InetAddress.getAllByName(host);
                                    } catch (UnknownHostException e) {
                                        return new InetAddress[0];
                                    }
                                })
                        .build();
        return new WorkflowLint.Sidecar(runtime.limits(), policy, source, strict);
    }

    /** {@code argo-plugin.yaml} beside the workflow file, else in the current directory. */
    private static Path findManifest(Path workflow) {
        List<Path> candidates = new ArrayList<>();
        if (workflow != null) {
            Path parent = workflow.toAbsolutePath().getParent();
            if (parent != null) {
                candidates.add(parent.resolve(MANIFEST_NAME));
            }
        }
        candidates.add(Path.of(MANIFEST_NAME));
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }

    private static List<String> serveArgs(Path manifest) {
        JsonNode container;
        try {
            container = YAML.readTree(Files.readString(manifest)).at("/spec/sidecar/container");
        } catch (IOException | JacksonException e) {
            throw new IllegalArgumentException(
                    "cannot read the plugin manifest %s: %s".formatted(manifest, e.getMessage()),
                    e);
        }
        if (!container.isObject()) {
            throw new IllegalArgumentException(
                    "%s is not an ExecutorPlugin manifest: it has no spec.sidecar.container"
                            .formatted(manifest));
        }
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asString()));
        if (!args.isEmpty() && args.get(0).equals("serve")) {
            args.remove(0);
        }
        return args;
    }
}
