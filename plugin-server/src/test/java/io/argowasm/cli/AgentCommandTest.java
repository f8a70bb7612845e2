package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The agent subcommand parses beside serve's runtime options, each flag documented. */
class AgentCommandTest {

    @Test
    void helpListsTheAgentsFlagsAndServesRuntimeFlagsWithDefaults() {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute("agent", "--help");

        assertThat(exit).isEqualTo(Main.OK);
        assertThat(out.toString())
                .contains("--namespace=NAMESPACE")
                .contains("--instance-id")
                .contains("--fail-other-plugins")
                .contains("--[no-]http-templates")
                .contains("--[no-]leases")
                .contains("--shutdown-grace")
                .contains("--max-concurrent")
                .contains("--module-hosts")
                .contains("Default: 32");
    }
}
