package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.cli.RunCommandTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lint}: what a workflow file would fail on, found without running it. */
class LintCommandTest {

    @TempDir Path dir;

    private static final String HEADER =
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              name: linted
            spec:
              entrypoint: main
              templates:
                - name: main
                  steps: [[{name: one, template: echo}]]
            """;

    private Path workflow(String templates) throws Exception {
        return Files.writeString(dir.resolve("linted.yaml"), HEADER + templates);
    }

    private static String template(String name, String wasm) {
        return "    - name: %s\n      plugin:\n        wasm:\n%s".formatted(name, wasm.indent(10));
    }

    @Test
    void theExampleWorkflowsAreClean() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("../examples/workflows"))) {
            String[] args =
                    Stream.concat(
                                    Stream.of("lint"),
                                    files.filter(f -> f.toString().endsWith(".yaml"))
                                            .map(Path::toString))
                            .toArray(String[]::new);
            Result result = RunCommandTest.run(args);
            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            assertThat(result.out()).doesNotContain("error:");
            assertThat(result.err()).contains("no problems");
        }
    }

    @Test
    void everyPluginBlockProblemIsNamedWithItsDocumentAndPath() throws Exception {
        Path file =
                workflow(
                        template("echo", "module: {file: %s}".formatted(TestModules.test("echo")))
                                + template(
                                        "typo",
                                        "module: {file: %s}\nlimits: {timeout: 30}"
                                                .formatted(TestModules.test("echo")))
                                + template(
                                        "pinned",
                                        "module: {file: %s, sha256: %s}"
                                                .formatted(
                                                        TestModules.test("echo"), "0".repeat(64)))
                                + template(
                                        "not-wapc",
                                        "module: {file: %s}"
                                                .formatted(TestModules.test("no-guest-call"))));

        Result result = RunCommandTest.run("lint", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        String at = file + ", document 1 (Workflow linted), at ";
        assertThat(result.out())
                .contains(
                        at
                                + "spec.templates[2]: plugin.wasm.limits.timeout must be a string,"
                                + " e.g. timeout: 30s")
                .contains(at + "spec.templates[3]: plugin.wasm.module: ")
                .contains(at + "spec.templates[4]: plugin.wasm.module: ");
        assertThat(result.out().lines().filter(l -> l.startsWith("error: ")))
                .hasSize(3)
                .noneMatch(l -> l.contains("spec.templates[1]"));
        assertThat(result.err()).contains("3 problem(s) in 1 of 1 file(s)");
    }

    @Test
    void aModuleThatCannotBeFoundIsAProblem() throws Exception {
        Path file = workflow(template("echo", "module: {file: missing.wasm}"));
        Result result = RunCommandTest.run("lint", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out())
                .contains("spec.templates[1]: plugin.wasm.module: ", "missing.wasm");
    }

    @Test
    void aHostThatCannotBeResolvedIsNamed() throws Exception {
        Path file =
                workflow(template("echo", "module: {url: https://no-such-host.invalid/m.wasm}"));
        Result result = RunCommandTest.run("lint", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).contains("host no-such-host.invalid could not be resolved");
    }

    @Test
    void schemaViolationsAreProblemsToo() throws Exception {
        Path file =
                workflow(
                        template("echo", "module: {file: %s}".formatted(TestModules.test("echo")))
                                + "    - name: odd\n      contaner: {image: x}\n");
        Result result = RunCommandTest.run("lint", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).contains("at spec.templates[2].contaner");
    }

    @Test
    void templatedBlocksAreLeftForTheRunWithANote() throws Exception {
        Path file =
                workflow(
                        template(
                                "echo",
                                "module: {file: %s}\nlimits: {timeout: \"{{inputs.parameters.t}}\"}"
                                        .formatted(TestModules.test("echo"))));
        Result result = RunCommandTest.run("lint", file.toString());
        assertThat(result.exitCode()).as(result.out()).isZero();
        assertThat(result.out()).contains("note: ", "spec.templates[1]: plugin.wasm takes {{...}}");
    }

    @Test
    void aMissingFileIsAProblemAndTheOthersAreStillChecked() throws Exception {
        Path file =
                workflow(
                        template("echo", "module: {file: %s}".formatted(TestModules.test("echo"))));
        Result result =
                RunCommandTest.run("lint", dir.resolve("nope.yaml").toString(), file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).contains("nope.yaml does not exist");
        assertThat(result.err()).contains("1 problem(s) in 1 of 2 file(s)");
    }
}
