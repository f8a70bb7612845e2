package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.cli.RunCommandTest.Result;
import io.argowasm.dryrun.DryRunCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --strict} applies the sidecar's rules (from the plugin manifest's serve arguments) to
 * {@code lint}, {@code dry-run} and {@code run}; without it each refusal is a warning.
 */
class StrictModeTest {

    @TempDir Path dir;

    private Path modules;
    private Path manifest;

    @BeforeEach
    void sidecarWithAModuleDirectoryAndA256MiCap() throws Exception {
        modules = Files.createDirectories(dir.resolve("modules"));
        Files.copy(TestModules.test("echo"), modules.resolve("echo.wasm"));
        manifest = manifestIn(dir.resolve("deploy"));
    }

    private Path manifestIn(Path directory) throws Exception {
        Files.createDirectories(directory);
        return Files.writeString(
                directory.resolve("argo-plugin.yaml"),
                """
                apiVersion: argoproj.io/v1alpha1
                kind: ExecutorPlugin
                metadata: {name: wasm}
                spec:
                  sidecar:
                    container:
                      name: wasm-executor-plugin
                      args: ["serve", "--max-memory", "256Mi", "--module-dir", "%s"]
                """
                        .formatted(modules));
    }

    private Path workflow(Path directory, String wasm) throws Exception {
        Files.createDirectories(directory);
        return Files.writeString(
                directory.resolve("wf.yaml"),
                """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {name: strict}
                spec:
                  entrypoint: echo
                  templates:
                    - name: echo
                      plugin:
                        wasm:
                %s
                """
                        .formatted(wasm.indent(10).stripTrailing()));
    }

    private Path askingFor512Mi() throws Exception {
        return workflow(
                dir.resolve("wf"),
                "module: {file: %s}\nlimits: {memory: 512Mi}"
                        .formatted(modules.resolve("echo.wasm")));
    }

    @Test
    void lintWarnsOfWhatTheSidecarWouldRefuseAndStrictMakesItAProblem() throws Exception {
        Path file = askingFor512Mi();
        String refusal =
                "at spec.templates[0]: the sidecar (%s) would refuse this step:".formatted(manifest)
                        + " plugin.wasm.limits.memory 512Mi exceeds this plugin's maximum of"
                        + " 256Mi";

        Result lenient =
                RunCommandTest.run(
                        "lint", "--plugin-manifest", manifest.toString(), file.toString());
        assertThat(lenient.exitCode()).as(lenient.out()).isZero();
        assertThat(lenient.out()).contains("warning: ").contains(refusal);

        Result strict =
                RunCommandTest.run(
                        "lint",
                        "--strict",
                        "--plugin-manifest",
                        manifest.toString(),
                        file.toString());
        assertThat(strict.exitCode()).isEqualTo(2);
        assertThat(strict.out()).contains("error: ").contains("512Mi exceeds");
    }

    @Test
    void flagsGivenToTheCommandOverrideTheManifest() throws Exception {
        Result result =
                RunCommandTest.run(
                        "lint",
                        "--strict",
                        "--plugin-manifest",
                        manifest.toString(),
                        "--max-memory",
                        "1Gi",
                        askingFor512Mi().toString());
        assertThat(result.exitCode()).as(result.out()).isZero();
    }

    @Test
    void theManifestBesideTheWorkflowIsFoundWithoutAFlag() throws Exception {
        Path besideIt = manifestIn(dir.resolve("project"));
        Path file =
                workflow(
                        dir.resolve("project"),
                        "module: {file: %s}\nlimits: {memory: 512Mi}"
                                .formatted(modules.resolve("echo.wasm")));
        Result result = RunCommandTest.run("lint", "--strict", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out())
                .contains("512Mi exceeds")
                .contains("the sidecar's rules from %s".formatted(besideIt));
    }

    @Test
    void relativePathsFilesOutsideTheModuleDirectoryAndPlainHttpAreRefusedUnderStrict()
            throws Exception {
        Files.copy(TestModules.test("echo"), dir.resolve("elsewhere.wasm"));
        Path relative = workflow(dir.resolve("a"), "module: {file: ../elsewhere.wasm}");
        Path outside =
                workflow(
                        dir.resolve("b"),
                        "module: {file: %s}".formatted(dir.resolve("elsewhere.wasm")));
        Path http = workflow(dir.resolve("c"), "module: {url: http://127.0.0.1:1/echo.wasm}");
        String[] common = {"lint", "--strict", "--plugin-manifest", manifest.toString()};

        assertThat(lint(common, relative).out()).contains("is a relative path");
        assertThat(lint(common, outside).out())
                .contains("is outside the directories this sidecar reads modules from");
        assertThat(lint(common, http).out()).contains("plain http");
    }

    private static Result lint(String[] common, Path file) {
        String[] args = java.util.Arrays.copyOf(common, common.length + 1);
        args[common.length] = file.toString();
        Result result = RunCommandTest.run(args);
        assertThat(result.exitCode()).as(result.out()).isEqualTo(2);
        return result;
    }

    @Test
    void dryRunWarnsWithoutStrictAndRefusesBeforeRunningWithIt() throws Exception {
        Path file = askingFor512Mi();

        DryRunCli.Result lenient =
                DryRunCli.run(file.toString(), "--plugin-manifest", manifest.toString());
        assertThat(lenient.exitCode()).as(lenient.err()).isZero();
        assertThat(lenient.err()).contains("warning: ", "512Mi exceeds");

        DryRunCli.Result strict =
                DryRunCli.run(
                        file.toString(), "--strict", "--plugin-manifest", manifest.toString());
        assertThat(strict.exitCode()).isEqualTo(2);
        assertThat(strict.err()).contains("error: ", "512Mi exceeds").doesNotContain("▶");
    }

    @Test
    void runWarnsWithoutStrictAndRefusesWithIt() throws Exception {
        String[] step = {
            "--module",
            modules.resolve("echo.wasm").toString(),
            "--memory",
            "512Mi",
            "--plugin-manifest",
            manifest.toString()
        };
        Result lenient = RunCommandTest.run(concat("run", step));
        assertThat(lenient.exitCode()).as(lenient.err()).isZero();
        assertThat(lenient.err()).contains("warning: ", "512Mi exceeds");

        Result strict = RunCommandTest.run(concat("run", concat("--strict", step)));
        assertThat(strict.exitCode()).isEqualTo(2);
        assertThat(strict.err()).contains("512Mi exceeds");
        assertThat(strict.out()).isEmpty();
    }

    @Test
    void runUnderStrictRunsWhatTheSidecarAccepts() {
        Result result =
                RunCommandTest.run(
                        "run",
                        "--strict",
                        "--plugin-manifest",
                        manifest.toString(),
                        "--module",
                        modules.resolve("echo.wasm").toString(),
                        "--operation",
                        "x");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).doesNotContain("warning:");
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
