package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.argo.Json;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code --version}, and the log flags every command takes, in a process of their own. */
class VersionAndLogFlagsTest {

    @TempDir Path dir;

    @Test
    void versionPrintsTheProjectsVersion() throws Exception {
        CliProcess.Finished run = CliProcess.run(dir, "--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip())
                .isEqualTo("wasm-executor-plugin " + System.getProperty("project.version"));
    }

    @Test
    void serveWithJsonLogsStartsWithAJsonLineNamingTheVersion() throws Exception {
        try (CliProcess serve =
                CliProcess.start(
                        dir,
                        "serve",
                        "--no-auth",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--log-format",
                        "json")) {
            serve.awaitErr("ready on", Duration.ofMinutes(1));
            String err = serve.err();
            JsonNode ready =
                    err.lines()
                            .filter(l -> l.contains("ready on"))
                            .map(Json.mapper()::readTree)
                            .findFirst()
                            .orElseThrow();
            assertThat(ready.get("level").asString()).isEqualTo("INFO");
            assertThat(ready.get("msg").asString())
                    .startsWith(
                            "wasm executor plugin %s ready on"
                                    .formatted(System.getProperty("project.version")));
            assertThat(ready.get("time").asString()).endsWith("Z");
        }
    }

    @Test
    void anUnknownLogFormatIsAUsageErrorNamingTheFlag() throws Exception {
        CliProcess.Finished run = CliProcess.run(dir, "lint", "--log-format", "xml", "x.yaml");

        assertThat(run.exitCode()).isEqualTo(Main.USAGE);
        assertThat(run.err())
                .contains(
                        "Invalid value for option '--log-format': expected one of [text, json]"
                                + " (case-sensitive) but was 'xml'");
    }

    @Test
    void anUnknownLogLevelIsAUsageErrorNamingTheLevels() throws Exception {
        CliProcess.Finished run = CliProcess.run(dir, "run", "--log-level", "loud", "x.yaml");

        assertThat(run.exitCode()).isEqualTo(Main.USAGE);
        assertThat(run.err())
                .contains(
                        "Invalid value for option '--log-level': unknown log level 'loud'; use"
                                + " debug, info, warn or error");
    }
}
