package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training run the build and the image record their class-data archive and AOT cache with:
 * {@code serve --exit-after-warmup} serves the bundled greet example and a module it fetched over
 * loopback to itself, then exits.
 */
class TrainingRunTest {

    @TempDir Path dir;

    @Test
    void serveAnswersTheBundledExampleAndAFetchedModuleThenExits() throws Exception {
        CliProcess.Finished run =
                CliProcess.run(
                        dir,
                        "serve",
                        "--no-auth",
                        "--allow-http",
                        "--allow-private-module-hosts",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--exit-after-warmup");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err() + run.out())
                .contains("greet/greet.wasm")
                .containsPattern("compiled module http://127\\.0\\.0\\.1:\\d+/greet\\.wasm");
    }

    @Test
    void withoutLoopbackHttpTheTrainingRunNamesTheFlagsItNeeds() throws Exception {
        CliProcess.Finished run =
                CliProcess.run(
                        dir,
                        "serve",
                        "--no-auth",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--exit-after-warmup");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err() + run.out()).contains("--allow-http --allow-private-module-hosts");
    }
}
