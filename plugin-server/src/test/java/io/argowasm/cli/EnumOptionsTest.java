package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.exec.GuestLogs;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Modes and formats are enums: --help lists their values, picocli refuses any other. */
class EnumOptionsTest {

    private static String help(String command) {
        StringWriter out = new StringWriter();
        CommandLine line = Main.commandLine().setOut(new PrintWriter(out));
        assertThat(line.execute(command, "--help")).isZero();
        return out.toString().replaceAll("\\s+", "");
    }

    /** Help text without white space, which picocli's line wrapping moves. */
    private static String words(String text) {
        return text.replaceAll("\\s+", "");
    }

    @Test
    void helpListsTheValuesOfEveryEnumOption() {
        assertThat(help("serve"))
                .contains(words("plugin.wasm.logs does not say, one of log, artifact:"))
                .contains(words("How log lines are written, one of text, json:"))
                .contains(words("The least severe log lines written: debug, info, warn, error."));
        assertThat(help("run")).contains(words("How the reply is printed on stdout: json, yaml."));
        assertThat(help("dry-run")).contains(words("One of tree, json. tree: argo get's view"));
    }

    @Test
    void guestLogsTakesItsTwoValuesAsSpelledBefore() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--guest-logs", "artifact");
        assertThat(serve.runtime.guestLogs).isEqualTo(GuestLogs.artifact);
        ServeCommand defaults = new ServeCommand();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.runtime.guestLogs).isEqualTo(GuestLogs.log);
    }

    @Test
    void anotherValueIsAUsageErrorNamingTheFlagTheValueAndTheChoices() {
        assertThatThrownBy(
                        () -> new CommandLine(new ServeCommand()).parseArgs("--guest-logs", "s3"))
                .isInstanceOf(ParameterException.class)
                .hasMessage(
                        "Invalid value for option '--guest-logs': expected one of [log, artifact]"
                                + " (case-sensitive) but was 's3'");
        assertThatThrownBy(() -> new CommandLine(new DryRunCommand()).parseArgs("-o", "yaml"))
                .hasMessage(
                        "Invalid value for option '--output': expected one of [tree, json]"
                                + " (case-sensitive) but was 'yaml'");
    }
}
