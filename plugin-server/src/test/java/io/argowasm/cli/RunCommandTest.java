package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** {@code run}: one step locally, Argo's reply on stdout, exit codes scripts can rely on. */
class RunCommandTest {

    record Result(int exitCode, String out, String err) {
        JsonNode reply() {
            return Json.mapper().readTree(out);
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void withoutArgumentsRunsTheBundledGreetExample() {
        Result result = run("run");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.reply().at("/node/phase").asString()).isEqualTo("Succeeded");
        assertThat(result.reply().at("/node/outputs/parameters/0/value").asString())
                .isEqualTo("hello from wasm");
    }

    @Test
    void runsAModuleFileWithParametersAndOptions() {
        Result result =
                run(
                        "run",
                        "--module",
                        TestModules.example("greet/greet").toString(),
                        "--operation",
                        "greet",
                        "-p",
                        "text=Quiet Please",
                        "--options",
                        "{\"style\":\"quiet\"}");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.reply().at("/node/outputs/parameters/0/value").asString())
                .isEqualTo("quiet please");
    }

    @Test
    void aFailedStepExitsWithOneAndStillPrintsTheReply() {
        Result result =
                run(
                        "run",
                        "--module",
                        TestModules.test("conformance").toString(),
                        "--operation",
                        "trap");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.reply().at("/node/phase").asString()).isEqualTo("Failed");
    }

    @Test
    void aTimeoutFlagBoundsTheStep() {
        Result result =
                run(
                        "run",
                        "--module",
                        TestModules.test("conformance").toString(),
                        "--operation",
                        "loop",
                        "--timeout",
                        "200ms");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.reply().at("/node/message").asString()).contains("timed out after 200ms");
    }

    @Test
    void aStepLongerThanTheReplyWindowIsAwaitedToItsEnd() {
        Result result =
                run(
                        "run",
                        "--module",
                        TestModules.test("conformance").toString(),
                        "--operation",
                        "wait-ms",
                        "--options",
                        "{\"ms\":1500}",
                        "--reply-within",
                        "100ms");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.reply().at("/node/phase").asString()).isEqualTo("Succeeded");
        assertThat(result.reply().at("/node/outputs/parameters/0/value").asString())
                .isEqualTo("1500");
        assertThat(result.err()).contains("still running");
    }

    @Test
    void anInterruptedRunStopsTheStepRemovesItsFilesAndSaysSo(@TempDir Path dir) throws Exception {
        try (CliProcess process =
                CliProcess.start(
                        dir,
                        "run",
                        "--module",
                        TestModules.test("conformance").toString(),
                        "--operation",
                        "wait-ms",
                        "--options",
                        "{\"ms\":600000}",
                        "--timeout",
                        "15m",
                        "--reply-within",
                        "100ms")) {
            process.awaitErr("still running", Duration.ofMinutes(1));
            process.terminate();
            CliProcess.Finished finished = process.awaitExit(Duration.ofSeconds(30));
            assertThat(finished.exitCode()).isNotZero();
            assertThat(finished.err())
                    .contains("run: interrupted after", "step 'conformance' was stopped");
        }
        try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void invalidOptionsJsonIsAUsageError() {
        Result result =
                run("run", "--module", TestModules.test("echo").toString(), "--options", "{nope");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--options is not JSON");
    }

    @Test
    void anUnknownFlagIsAUsageError() {
        assertThat(run("run", "--bogus").exitCode()).isEqualTo(2);
    }

    @Test
    void runsATemplateFileWithAModulePathRelativeToIt(@TempDir Path dir) throws Exception {
        Files.copy(TestModules.example("greet/greet"), dir.resolve("greet.wasm"));
        Path template = dir.resolve("greet.yaml");
        Files.writeString(
                template,
                """
                name: greet
                inputs:
                  parameters:
                    - name: text
                      default: from a file
                outputs:
                  parameters:
                    - name: greeting
                plugin:
                  wasm:
                    module:
                      file: greet.wasm
                    operation: greet
                    options: {style: loud}
                """);
        Result result = run("run", "--template", template.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.reply().at("/node/outputs/parameters/0/value").asString())
                .isEqualTo("FROM A FILE");
        Result overridden = run("run", "--template", template.toString(), "-p", "text=given");
        assertThat(overridden.reply().at("/node/outputs/parameters/0/value").asString())
                .isEqualTo("GIVEN");
    }

    @Test
    void picksTheWasmTemplateOfAWorkflowFile(@TempDir Path dir) throws Exception {
        Path workflow = dir.resolve("wf.yaml");
        Files.writeString(
                workflow,
                """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {generateName: local-}
                spec:
                  entrypoint: main
                  templates:
                    - name: main
                      steps: [[{name: one, template: echo}]]
                    - name: echo
                      plugin:
                        wasm:
                          module: {file: %s}
                          operation: echo
                """
                        .formatted(TestModules.test("echo")));
        Result result = run("run", "--template", workflow.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    @Test
    void anInputWithoutAValueIsAUsageErrorNamingIt(@TempDir Path dir) throws Exception {
        Path template = dir.resolve("t.yaml");
        Files.writeString(
                template,
                """
                name: t
                inputs: {parameters: [{name: needed}]}
                plugin: {wasm: {module: {file: %s}}}
                """
                        .formatted(TestModules.test("echo")));
        Result result = run("run", "--template", template.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("input parameter 'needed' has no value");
    }

    @Test
    void artifactsComeFromAndGoToTheArtifactDirectory(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("store");
        Files.createDirectories(store.resolve("in"));
        Files.writeString(store.resolve("in/text.txt"), "local artifacts work fine\n");
        Path template = dir.resolve("wordcount.yaml");
        Files.writeString(
                template,
                """
                name: wordcount
                inputs:
                  artifacts:
                    - {name: text, path: /in/text, archive: {none: {}}, s3: {key: in/text.txt}}
                outputs:
                  parameters: [{name: total, valueFrom: {supplied: {}}}]
                  artifacts:
                    - {name: counts, path: /out/counts.json, archive: {none: {}}}
                plugin:
                  wasm:
                    module: {file: %s}
                """
                        .formatted(TestModules.example("wordcount/wordcount")));
        Result result =
                run("run", "--template", template.toString(), "--artifact-dir", store.toString());
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.reply().at("/node/outputs/parameters/0/value").asString()).isEqualTo("4");
        String key = result.reply().at("/node/outputs/artifacts/0/s3/key").asString();
        assertThat(Files.readString(store.resolve(key))).contains("\"words\":4");
    }

    @Test
    void aLocalFileFeedsADeclaredInputAndOutputsLandInTheOutputDir(@TempDir Path dir)
            throws Exception {
        Path text = Files.writeString(dir.resolve("text.txt"), "one two three\n");
        Path template = dir.resolve("wordcount.yaml");
        Files.writeString(
                template,
                """
                name: wordcount
                inputs:
                  artifacts: [{name: text, path: /in/text, archive: {none: {}}}]
                outputs:
                  parameters: [{name: total, valueFrom: {supplied: {}}}]
                  artifacts: [{name: counts, path: /out/counts.json}]
                plugin:
                  wasm:
                    module: {file: %s}
                """
                        .formatted(TestModules.example("wordcount/wordcount")));
        Path outputs = dir.resolve("outputs");
        Result result =
                run(
                        "run",
                        "--template",
                        template.toString(),
                        "--artifact",
                        "text=" + text,
                        "--output-dir",
                        outputs.toString());
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.reply().at("/node/outputs/parameters/0/value").asString()).isEqualTo("3");
        assertThat(Files.readString(outputs.resolve("counts"))).contains("\"words\":3");
        assertThat(dir.resolve("artifacts")).doesNotExist();
    }

    @Test
    void withAModuleAnyArtifactNameIsAnInputAndOutputArtifactsAreDeclaredByFlag(@TempDir Path dir)
            throws Exception {
        byte[] content = new byte[200_000];
        new java.util.Random(7).nextBytes(content);
        Path in = Files.write(dir.resolve("in.bin"), content);
        Result result =
                run(
                        "run",
                        "--module",
                        TestModules.test("conformance").toString(),
                        "--operation",
                        "copy",
                        "--artifact",
                        "in=" + in,
                        "--output-artifact",
                        "out",
                        "--output-dir",
                        dir.resolve("outputs").toString());
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(dir.resolve("outputs/out")).hasBinaryContent(content);
    }

    @Test
    void guestLogsAsAnArtifactAreWrittenToTheOutputDirectory(@TempDir Path dir) throws Exception {
        Path outputs = dir.resolve("outputs");
        Result result =
                run(
                        "run",
                        "--module",
                        TestModules.test("chatty").toString(),
                        "--guest-logs",
                        "artifact",
                        "--output-dir",
                        outputs.toString());
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.reply().at("/node/outputs/artifacts/0/name").asString())
                .isEqualTo("guest-logs");
        assertThat(outputs.resolve("guest-logs")).hasContent("hello from the guest\nsecond line\n");
        assertThat(result.err())
                .contains("run: wrote output artifact " + outputs.resolve("guest-logs"));
    }

    @Test
    void anArtifactTheTemplateDoesNotDeclareIsAUsageErrorNamingTheDeclaredOnes(@TempDir Path dir)
            throws Exception {
        Path template = dir.resolve("t.yaml");
        Files.writeString(
                template,
                """
                name: t
                inputs: {artifacts: [{name: text, path: /in/text}]}
                plugin: {wasm: {module: {file: %s}}}
                """
                        .formatted(TestModules.test("echo")));
        Path file = Files.writeString(dir.resolve("f"), "x");
        Result wrong = run("run", "--template", template.toString(), "--artifact", "txt=" + file);
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("--artifact txt", "it declares text");
        Result missing = run("run", "--template", template.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("pass --artifact text=PATH");
    }

    @Test
    void theReplyCanBePrintedAsYaml() {
        Result result = run("run", "-o", "yaml");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("node:", "phase: \"Succeeded\"");
    }

    @Test
    void quietSilencesInfoLogLines(@TempDir Path dir) throws Exception {
        String module = TestModules.test("echo").toString();
        CliProcess.Finished loud =
                CliProcess.run(dir.resolve("loud"), "run", "--module", module, "--operation", "x");
        assertThat(loud.exitCode()).as(loud.err()).isZero();
        assertThat(loud.err()).contains("level=INFO");
        CliProcess.Finished quiet =
                CliProcess.run(
                        dir.resolve("quiet"), "run", "-q", "--module", module, "--operation", "x");
        assertThat(quiet.exitCode()).as(quiet.err()).isZero();
        assertThat(quiet.err()).doesNotContain("level=INFO");
        assertThat(Json.mapper().readTree(quiet.out()).at("/node/phase").asString())
                .isEqualTo("Succeeded");
    }

    @Test
    void aModulesFirstCallsGiveTheSameReplyInterpretedAndCompiled() {
        for (String operation : List.of("echo", "trap")) {
            Result interpreted = firstCalls("interpreted", operation);
            Result compiled = firstCalls("compiled", operation);
            assertThat(interpreted.exitCode()).as(interpreted.err()).isEqualTo(compiled.exitCode());
            assertThat(interpreted.reply().at("/node"))
                    .as(operation)
                    .isEqualTo(compiled.reply().at("/node"));
        }
    }

    private static Result firstCalls(String mode, String operation) {
        return run(
                "run",
                "--first-calls",
                mode,
                "--module",
                TestModules.test("conformance").toString(),
                "--operation",
                operation,
                "-p",
                "text=same");
    }

    @Test
    void anUnknownFirstCallsModeIsAUsageErrorNamingTheModes() {
        Result result = run("run", "--first-calls", "jit");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--first-calls", "interpreted", "compiled");
    }

    @Test
    void helpListsTheSubcommandOptions() {
        Result result = run("run", "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("--module", "--template", "--timeout", "--memory");
        assertThat(result.out())
                .contains("--first-calls=compiled|interpreted", "Default: compiled");
    }
}
