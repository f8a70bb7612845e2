package io.argowasm.cli;

import io.argowasm.metrics.BuildInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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

    /**
     * The subcommands by name, in the order {@code --help} lists them. picocli reads a command's
     * annotations when it is added, a few hundred options in all, which takes a good part of a
     * second before the JIT has warmed up; a run builds only the command it runs.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /** The configured command line with every subcommand, for callers that capture its output. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for {@code args}: with only the subcommand they name when the first one
     * names one (its usage and messages are the same), with all of them otherwise.
     */
    static CommandLine commandLine(String... args) {
        CommandLine line = configured(new CommandLine(new Main()));
        Supplier<Object> named = args.length == 0 ? null : SUBCOMMANDS.get(args[0]);
        if (named != null) {
            line.addSubcommand(named.get());
        } else {
            SUBCOMMANDS.values().forEach(command -> line.addSubcommand(command.get()));
        }
        return line;
    }

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("serve", ServeCommand::new);
        commands.put("agent", AgentCommand::new);
        commands.put("run", RunCommand::new);
        commands.put("dry-run", DryRunCommand::new);
        commands.put("lint", LintCommand::new);
        commands.put("new", NewCommand::new);
        commands.put("push", PushCommand::new);
        return Collections.unmodifiableMap(commands);
    }

    private static CommandLine configured(CommandLine line) {
        return line.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    cmd.getErr()
                            .println(
                                    cmd.getColorScheme()
                                            .errorText("error: %s".formatted(e.getMessage())));
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
