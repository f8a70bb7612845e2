package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C during {@code dry-run}: the nodes so far, the running one marked, exit code 130. */
class DryRunInterruptTest {

    @Test
    void anInterruptedDryRunPrintsTheTreeSoFarAndExits130(@TempDir Path dir) throws Exception {
        Path workflow =
                Files.writeString(
                        dir.resolve("long.yaml"),
                        """
                        apiVersion: argoproj.io/v1alpha1
                        kind: Workflow
                        metadata: {name: long}
                        spec:
                          entrypoint: main
                          templates:
                            - name: main
                              steps:
                                - - {name: quick, template: echo}
                                - - {name: slow, template: wait}
                            - name: echo
                              plugin: {wasm: {module: {file: %1$s}, operation: echo}}
                            - name: wait
                              plugin:
                                wasm:
                                  module: {file: %1$s}
                                  operation: wait-ms
                                  options: {ms: 600000}
                                  limits: {timeout: 15m}
                        """
                                .formatted(TestModules.test("conformance")));
        try (CliProcess process =
                CliProcess.start(dir, "dry-run", workflow.toString(), "--reply-within", "100ms")) {
            // Once the slow step started, the quick one has finished, however long it took.
            process.awaitErr("▶ long[1].slow", Duration.ofMinutes(1));
            process.terminate();
            CliProcess.Finished finished = process.awaitExit(Duration.ofSeconds(30));

            assertThat(finished.exitCode()).as(finished.err()).isEqualTo(130);
            assertThat(finished.err()).contains("dry-run: interrupted");
            assertThat(finished.out()).contains("✔ quick", "● slow", "Status:", "Running");
        }
    }
}
