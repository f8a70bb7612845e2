package io.argowasm.cli;

import io.argowasm.metrics.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The plugin's command line: {@code serve} for the sidecar; {@code agent} for the long-lived agent
 * of Argo 4.1; {@code run}, {@code dry-run} and {@code lint} for local work; {@code push} to
 * publish a module.
 */
@Command(
        name = "wasm-executor-plugin",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "The WebAssembly executor plugin for Argo Workflows.",
        subcommands = {
            ServeCommand.class,
            AgentCommand.class,
            RunCommand.class,
            DryRunCommand.class,
            LintCommand.class,
            NewCommand.class,
            PushCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the step succeeded / the server stopped cleanly / no lint problems",
            "1:the step failed",
            "2:invalid usage or configuration / lint problems"
        })
public final class Main implements Runnable {

    public static final int OK = 0;
    public static final int STEP_FAILED = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line, for callers that capture its output. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(
                        (e, cmd, parsed) -> {
                            cmd.getErr()
                                    .println(
                                            cmd.getColorScheme()
                                                    .errorText(
                                                            "error: %s".formatted(e.getMessage())));
                            return USAGE;
                        });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "give a subcommand: serve, agent, run, dry-run or lint");
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"wasm-executor-plugin %s".formatted(BuildInfo.version())};
        }
    }
}
