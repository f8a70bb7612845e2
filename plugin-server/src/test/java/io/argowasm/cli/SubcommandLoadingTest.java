package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A run builds only the subcommand it names; what a user sees is the same as with all of them
 * built.
 */
class SubcommandLoadingTest {

    @TempDir Path dir;

    @Test
    void aRunBuildsOnlyTheSubcommandItNamesAndItsUsageIsTheSame() {
        Map<String, CommandLine> all = Main.commandLine().getSubcommands();
        assertThat(all.keySet())
                .containsExactly("serve", "agent", "run", "dry-run", "lint", "new", "push");
        for (String command : all.keySet()) {
            Map<String, CommandLine> built = Main.commandLine(command, "--help").getSubcommands();

            assertThat(built.keySet()).containsExactly(command);
            assertThat(built.get(command).getUsageMessage())
                    .isEqualTo(all.get(command).getUsageMessage());
        }
    }

    @Test
    void aSubcommandsHelpNamesTheProgramAndTheSubcommand() throws Exception {
        CliProcess.Finished run = CliProcess.run(dir, "serve", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: wasm-executor-plugin serve [-hV]");
    }

    @Test
    void theTopLevelHelpListsEverySubcommand() throws Exception {
        CliProcess.Finished run = CliProcess.run(dir, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(Main.commandLine().getUsageMessage());
        assertThat(run.out()).contains("serve", "agent", "run", "dry-run", "lint", "new", "push");
    }

    @Test
    void aMistypedSubcommandIsAUsageErrorSuggestingTheRightOne() throws Exception {
        CliProcess.Finished run = CliProcess.run(dir, "serv", "--port", "0");

        assertThat(run.exitCode()).isEqualTo(Main.USAGE);
        assertThat(run.err()).contains("Unmatched arguments", "serve");
    }
}
