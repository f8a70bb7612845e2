package io.argowasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code serve} does before it takes its first step. */
class ServeStartupTest {

    @TempDir Path dir;

    @Test
    void serveRemovesTheWorkspacesAnEarlierProcessLeftInItsWorkDir() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        // A sidecar killed mid-step: no process has this pid (Linux allows at most 2^22).
        Path leftover = Files.createDirectories(work.resolve("step-99999999-1700000000000-7/in"));
        Files.write(leftover.resolve("data"), new byte[4096]);
        // A workspace of this test's JVM, which is still running, and a file that is no workspace.
        ProcessHandle self = ProcessHandle.current();
        Path running =
                Files.createDirectories(
                        work.resolve(
                                "step-%d-%d-1"
                                        .formatted(
                                                self.pid(),
                                                self.info()
                                                        .startInstant()
                                                        .orElseThrow()
                                                        .toEpochMilli())));
        Path other = Files.writeString(work.resolve("notes.txt"), "not a workspace");

        try (SidecarProcess sidecar =
                SidecarProcess.start(
                        List.of(),
                        List.of("--no-auth", "--work-dir", work.toString()),
                        Map.of(),
                        dir.resolve("sidecar.log"))) {
            assertThat(work.resolve("step-99999999-1700000000000-7")).doesNotExist();
            assertThat(running).isDirectory();
            assertThat(other).hasContent("not a workspace");
        }
        assertThat(Files.readString(dir.resolve("sidecar.log")))
                .contains("removed 1 artifact workspaces left by an earlier process in " + work);
    }
}
