package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Durations and sizes are read by picocli; a bad one is a usage error naming flag and value. */
class ConvertersTest {

    private static ServeCommand serve(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve;
    }

    private static AgentCommand agent(String... args) {
        AgentCommand agent = new AgentCommand();
        new CommandLine(agent).parseArgs(args);
        return agent;
    }

    @Test
    void durationsTakeGoSyntax() {
        assertThat(serve("--http-timeout", "90s").runtime.httpTimeout)
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(serve("--http-timeout", "1m30s").runtime.httpTimeout)
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(serve("--reply-within", "250ms").runtime.replyWithin)
                .isEqualTo(Duration.ofMillis(250));
        assertThat(serve("--max-timeout", "1.5h").runtime.maxTimeout)
                .isEqualTo(Duration.ofMinutes(90));
        assertThat(serve("--tag-ttl", "0").runtime.tagTtl).isEqualTo(Duration.ZERO);
        assertThat(agent("--lease-duration", "1m", "--resync", "10m").leaseDuration)
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void durationDefaultsAreReadTheSameWay() {
        ServeCommand defaults = serve();
        assertThat(defaults.runtime.defaultTimeout).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.runtime.maxTimeout).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.runtime.requeue).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.shutdownGrace).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.runtime.tagTtl).as("no default: for the life of the process").isNull();
        assertThat(agent().resync).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aBadDurationNamesTheFlagTheValueAndTheSyntax() {
        assertThatThrownBy(() -> serve("--http-timeout", "90"))
                .isInstanceOf(ParameterException.class)
                .hasMessage(
                        "Invalid value for option '--http-timeout': '90' is not a duration; use Go"
                                + " syntax such as 30s, 2m or 1m30s");
        assertThatThrownBy(() -> serve("--shutdown-grace", "-5s"))
                .hasMessageStartingWith("Invalid value for option '--shutdown-grace': '-5s'");
        assertThatThrownBy(() -> agent("--retry-period", "2 seconds"))
                .hasMessageStartingWith("Invalid value for option '--retry-period': '2 seconds'");
        assertThatThrownBy(() -> serve("--max-timeout", "3000000h"))
                .hasMessage(
                        "Invalid value for option '--max-timeout': '3000000h' is longer than any"
                                + " duration Go can hold");
    }

    @Test
    void sizesTakeKubernetesQuantities() {
        assertThat(serve("--max-memory", "64Mi").runtime.maxMemory).isEqualTo(64L << 20);
        assertThat(serve("--max-memory", "1G").runtime.maxMemory).isEqualTo(1_000_000_000L);
        assertThat(serve("--max-memory", "512").runtime.maxMemory).isEqualTo(512L);
        assertThat(serve("--memory-budget", "1.5Gi").runtime.memoryBudget).isEqualTo(3L << 29);
        assertThat(serve("--max-body-size", "2Ki").maxBodySize).isEqualTo(2048L);
        assertThat(agent("--max-http-response-size", "1k").maxHttpResponseSize).isEqualTo(1000L);
    }

    @Test
    void sizeDefaultsAreReadTheSameWay() {
        ServeCommand defaults = serve();
        assertThat(defaults.runtime.defaultMemory).isEqualTo(64L << 20);
        assertThat(defaults.runtime.maxMemory).isEqualTo(1L << 30);
        assertThat(defaults.runtime.maxResponseSize).isEqualTo(16L << 20);
        assertThat(defaults.maxBodySize).isEqualTo(16L << 20);
        assertThat(defaults.runtime.memoryBudget).as("no default: from the heap").isNull();
    }

    @Test
    void aBadSizeNamesTheFlagTheValueAndTheSyntax() {
        assertThatThrownBy(() -> serve("--max-memory", "64MB"))
                .isInstanceOf(ParameterException.class)
                .hasMessage(
                        "Invalid value for option '--max-memory': '64MB' is not a memory quantity;"
                                + " use Kubernetes syntax such as 64Mi or 1Gi");
        assertThatThrownBy(() -> serve("--max-body-size", "-1"))
                .hasMessageStartingWith("Invalid value for option '--max-body-size': '-1'");
        assertThatThrownBy(() -> serve("--memory-budget", "9e99"))
                .hasMessage(
                        "Invalid value for option '--memory-budget': '9e99' is more bytes than can"
                                + " be counted");
    }

    @Test
    void runChecksTemplateLimitsAtParseTimeAndKeepsTheirText() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--timeout", "90s", "--memory", "1G");
        assertThat(run.timeout).isEqualTo("90s");
        assertThat(run.memory).isEqualTo("1G");
        assertThatThrownBy(() -> new CommandLine(new RunCommand()).parseArgs("--timeout", "soon"))
                .hasMessage(
                        "Invalid value for option '--timeout': 'soon' is not a duration; use Go"
                                + " syntax such as 30s, 2m or 1m30s");
        assertThatThrownBy(() -> new CommandLine(new RunCommand()).parseArgs("--memory", "lots"))
                .hasMessageStartingWith("Invalid value for option '--memory': 'lots'");
    }

    @Test
    void aBadValueIsAUsageErrorOfTheCommandLine() {
        StringWriter err = new StringWriter();
        CommandLine line = Main.commandLine().setErr(new PrintWriter(err));
        int code = line.execute("serve", "--max-memory", "64MB");
        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err.toString())
                .contains("Invalid value for option '--max-memory': '64MB' is not a memory")
                .contains("Usage: wasm-executor-plugin serve");
    }
}
