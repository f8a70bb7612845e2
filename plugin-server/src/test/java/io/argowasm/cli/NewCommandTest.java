package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.argowasm.release.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code new}: a starter module per language that builds with the documented toolchain and succeeds
 * under {@code run} and {@code dry-run} as written. Each build test runs when its toolchain is
 * installed (.ci/run installs them) and is skipped, naming what to install, when not.
 */
class NewCommandTest {

    @TempDir Path tmp;

    static RunCommandTest.Result execute(String... args) {
        return RunCommandTest.run(args);
    }

    private Path generate(String language, String name) {
        Path dir = tmp.resolve(name);
        RunCommandTest.Result result =
                execute("new", "--lang", language, name, "--dir", dir.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("wrote a " + language + " starter in " + dir);
        return dir;
    }

    /** Runs the starter's build.sh; the timeout only proves it does not hang. */
    private static void build(Path dir, String name) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder("bash", "build.sh")
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("build.sh finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(dir.resolve(name + ".wasm")).isRegularFile();
    }

    /** The starter's workflow under run and dry-run, as its README says to try it. */
    private static void runsAsWritten(Path dir) {
        String workflow = dir.resolve("workflow.yaml").toString();

        RunCommandTest.Result run =
                execute("run", "--template", workflow, "-p", "name=Ada \"the\" first ✓");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.reply().at("/node/phase").asString()).isEqualTo("Succeeded");
        assertThat(run.reply().at("/node/outputs/parameters/0/name").asString())
                .isEqualTo("greeting");
        assertThat(run.reply().at("/node/outputs/parameters/0/value").asString())
                .isEqualTo("hello, Ada \"the\" first ✓");
        assertThat(run.reply().at("/node/message").asString())
                .isEqualTo("greeted Ada \"the\" first ✓");

        RunCommandTest.Result byDefault = execute("run", "--template", workflow);
        assertThat(byDefault.reply().at("/node/outputs/parameters/0/value").asString())
                .isEqualTo("hello, world");

        RunCommandTest.Result dryRun = execute("dry-run", workflow);
        assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
    }

    @Test
    void cStarterBuildsWithClangAndRuns() throws Exception {
        Optional<String> missing = Toolchains.cMissing();
        assumeTrue(missing.isEmpty(), () -> "C starter not built: " + missing.orElseThrow());
        Path dir = generate("c", "hello-c");

        build(dir, "hello-c");
        runsAsWritten(dir);
    }

    @Test
    void rustStarterBuildsWithRustcAloneAndRuns() throws Exception {
        Optional<String> missing = Toolchains.rustMissing();
        assumeTrue(missing.isEmpty(), () -> "Rust starter not built: " + missing.orElseThrow());
        Path dir = generate("rust", "hello-rust");

        build(dir, "hello-rust");
        runsAsWritten(dir);
    }

    @Test
    void assemblyScriptStarterBuildsWithNpmAndRuns() throws Exception {
        assumeTrue(
                Tools.onPath("node") && Tools.onPath("npm"),
                "AssemblyScript starter not built: node or npm is not on the PATH; install"
                        + " Node.js 18 or newer with npm (apt-get install nodejs npm)");
        Path dir = generate("assemblyscript", "hello-as");

        build(dir, "hello-as");
        runsAsWritten(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "assemblyscript", "rust"})
    void writesEveryFileWithTheNameFilledIn(String language) throws IOException {
        Path dir = generate(language, "my-step");

        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files)
                .extracting(f -> dir.relativize(f).toString())
                .contains("build.sh", "workflow.yaml", "README.md");
        for (Path file : files) {
            assertThat(Files.readString(file))
                    .as(file.toString())
                    .doesNotContain("@NAME@", "@IDENT@");
        }
        assertThat(Files.readString(dir.resolve("workflow.yaml")))
                .contains("generateName: my-step-", "file: my-step.wasm", "entrypoint: my-step");
        assertThat(dir.resolve("build.sh")).isExecutable();
    }

    @Test
    void eachLanguageHasItsOwnSources() throws IOException {
        assertThat(generate("c", "c-step").resolve("c-step.c")).isRegularFile();
        assertThat(generate("c", "c-two").resolve("wapc_guest.h")).isRegularFile();
        Path as = generate("assemblyscript", "as-step");
        assertThat(as.resolve("assembly/index.ts")).isRegularFile();
        assertThat(as.resolve(".gitignore")).hasContent("node_modules/");
        assertThat(Files.readString(as.resolve("package.json"))).contains("\"name\": \"as-step\"");
        Path rust = generate("rust", "rust-step");
        assertThat(Files.readString(rust.resolve("build.sh"))).contains("--crate-name rust_step");
    }

    @Test
    void refusesANameThatCannotNameAModule() {
        RunCommandTest.Result result =
                execute("new", "--lang", "c", "Hello_World", "--dir", tmp.resolve("x").toString());

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("NAME 'Hello_World' is not a module name");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void refusesADirectoryThatHoldsFiles() throws IOException {
        Files.writeString(tmp.resolve("keep.txt"), "mine");

        RunCommandTest.Result result =
                execute("new", "--lang", "rust", "hello", "--dir", tmp.toString());

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("--dir " + tmp + " is not empty");
        assertThat(tmp.resolve("build.sh")).doesNotExist();
    }

    @Test
    void unknownLanguageListsTheKnownOnes() {
        RunCommandTest.Result result = execute("new", "--lang", "go", "hello");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err())
                .contains("unknown language 'go'; choose one of c, assemblyscript, rust");
    }

    @Test
    void helpShowsTheLanguagesAndTheDefaultDirectory() {
        RunCommandTest.Result result = execute("new", "--help");

        assertThat(result.out()).contains("c, assemblyscript, rust", "Default: ./NAME");
    }
}
