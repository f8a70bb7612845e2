package io.argowasm.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How closely a local command follows the sidecar's rules. */
final class StrictOptions {

    @Option(
            names = Flags.STRICT,
            description =
                    "Refuse what the sidecar would refuse: serve's module rules (https only,"
                            + " public hosts, module files under --module-dir, default /modules)"
                            + " and the caps of the plugin manifest's serve arguments. Without it,"
                            + " each step the sidecar would refuse gets a warning on stderr.")
    boolean strict;

    @Option(
            names = Flags.PLUGIN_MANIFEST,
            paramLabel = "FILE",
            description =
                    "The ExecutorPlugin manifest whose serve arguments the sidecar runs with."
                            + " Default: argo-plugin.yaml beside the workflow file, else in the"
                            + " current directory; without one, serve's defaults. Flags given here"
                            + " (--max-memory, --module-dir, ...) override it.")
    Path manifest;
}
