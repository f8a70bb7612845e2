package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.argo.Json;
import io.argowasm.dryrun.DryRunCli;
import io.argowasm.dryrun.DryRunCli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code dry-run} as scripts and people use it: exit codes, output streams, the examples. */
class DryRunCommandTest {

    private static final Path EXAMPLES = Path.of("../examples/workflows");

    @TempDir Path dir;

    static Stream<Path> exampleWorkflows() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).isNotEmpty();
            return yaml.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("exampleWorkflows")
    void everyExampleWorkflowSucceeds(Path workflow) {
        Path stubs = EXAMPLES.resolve("stubs").resolve(workflow.getFileName());
        Result result =
                Files.exists(stubs)
                        ? DryRunCli.run(
                                workflow.toString(), "-o", "json", "--stubs", stubs.toString())
                        : DryRunCli.run(workflow.toString(), "-o", "json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.phase()).isEqualTo("Succeeded");
    }

    @Test
    void withoutAFileItRunsTheBundledHelloExample() {
        Result result = DryRunCli.run();
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Status:").contains("Succeeded").contains("STEP");
        assertThat(result.out()).contains("✔");
    }

    @Test
    void jsonOutputIsTheOnlyThingOnStdoutAndProgressGoesToStderr() {
        Result result = DryRunCli.run("-o", "json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Json.mapper().readTree(result.out()).path("kind").asString())
                .isEqualTo("Workflow");
        assertThat(result.err()).contains("▶").contains("✔").contains("Succeeded");
    }

    @Test
    void quietLeavesStderrWithoutProgress() {
        Result result = DryRunCli.run("-o", "json", "-q");
        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).doesNotContain("▶");
    }

    @Test
    void theTreeShowsNodesOutputsAndArtifacts() throws IOException {
        Path artifacts = dir.resolve("artifacts");
        Result result =
                DryRunCli.run(
                        EXAMPLES.resolve("artifacts.yaml").toString(),
                        "--stubs",
                        EXAMPLES.resolve("stubs/artifacts.yaml").toString(),
                        "--artifact-dir",
                        artifacts.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("STEP")
                .contains("TEMPLATE")
                .contains("DURATION")
                .contains("MESSAGE")
                .contains("├─✔ write-text")
                .contains("└─✔ print")
                .contains("↳ total = ")
                .contains("↳ artifact counts = " + artifacts.toAbsolutePath());
        try (Stream<Path> stored = Files.walk(artifacts)) {
            Path counts =
                    stored.filter(p -> p.getFileName().toString().equals("counts"))
                            .findFirst()
                            .orElseThrow();
            assertThat(Files.readString(counts)).startsWith("{\"words\":");
        }
    }

    @Test
    void aFailingWorkflowExitsWithOne() {
        Path workflow =
                DryRunCli.write(
                        dir,
                        "fails.yaml",
                        """
                        apiVersion: argoproj.io/v1alpha1
                        kind: Workflow
                        metadata: {name: fails}
                        spec:
                          entrypoint: fail
                          templates:
                        """
                                + DryRunCli.failingTemplate("fail"));
        Result result = DryRunCli.run(workflow.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("Status:              Failed").contains("✖ fails");
    }

    @Test
    void invalidInputExitsWithTwo() {
        Result result = DryRunCli.run(dir.resolve("missing.yaml").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("missing.yaml does not exist");
    }

    @Test
    void anUnknownOutputFormatIsAUsageError() {
        Result result = DryRunCli.run("-o", "yaml");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("Invalid value for option '--output'", "[tree, json]", "'yaml'");
    }

    @Test
    void aStubArtifactThatDoesNotExistIsNamed() {
        Result result =
                DryRunCli.run(
                        EXAMPLES.resolve("artifacts.yaml").toString(),
                        "--stub",
                        "write-text=artifact:text=" + dir.resolve("nope.txt"));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("--stub write-text=artifact:text=")
                .contains("does not exist");
    }
}
