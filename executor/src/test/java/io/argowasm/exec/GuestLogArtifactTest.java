package io.argowasm.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.Artifact;
import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.ExecuteTemplateReply;
import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.local.DirectoryArtifactRepository;
import io.argowasm.artifacts.local.FixedRepositoryResolver;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import io.argowasm.wapc.GuestOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest's output stored as the output artifact {@code guest-logs} ({@code plugin.wasm.logs:
 * artifact}, or {@code --guest-logs artifact} for templates that do not say): what it holds, which
 * steps get it, and that a failure to store it leaves the step's result as it was.
 */
class GuestLogArtifactTest {

    @TempDir Path repository;
    @TempDir Path scratch;
    private final ModuleStore modules =
            new ModuleStore(new ModuleFetcher(1L << 20, Duration.ofSeconds(5)), 64L << 20, 8);
    private TemplateExecutor executor;

    @AfterEach
    void close() {
        if (executor != null) {
            executor.close();
        }
    }

    private TemplateExecutor.Builder builder(Path repositoryRoot) {
        ArtifactWorkspaces workspaces =
                ArtifactWorkspaces.builder(
                                FixedRepositoryResolver.of(
                                        new DirectoryArtifactRepository(repositoryRoot)))
                        .temporaryRoot(scratch)
                        .build();
        return TemplateExecutor.builder(Json.mapper(), modules)
                .artifacts(workspaces)
                .replyWithin(Duration.ofSeconds(30));
    }

    /** A step of {@code module} whose plugin block adds {@code extra} (e.g. {@code "logs":...}). */
    static ExecuteTemplateArgs step(String uid, Path module, String operation, String extra) {
        return step(uid, module, operation, extra, "{}");
    }

    static ExecuteTemplateArgs step(
            String uid, Path module, String operation, String extra, String outputs) {
        String body =
                """
                {"workflow":{"metadata":{"name":"logs-wf","namespace":"argo","uid":"%s"}},
                 "template":{"name":"talk","inputs":{},"outputs":%s,"metadata":{},
                  "plugin":{"wasm":{"module":{"file":"%s"},"operation":"%s"%s}}}}
                """
                        .formatted(uid, outputs, module, operation, extra);
        return Json.mapper().readValue(body, ExecuteTemplateArgs.class);
    }

    private Artifact logArtifact(ExecuteTemplateReply reply) {
        List<Artifact> artifacts = reply.node().outputs().artifacts();
        assertThat(artifacts).extracting(Artifact::getName).contains("guest-logs");
        return artifacts.stream().filter(a -> a.getName().equals("guest-logs")).findFirst().get();
    }

    private String stored(Artifact artifact) throws Exception {
        String key = artifact.field("s3").get("key").asString();
        return Files.readString(repository.resolve(key));
    }

    @Test
    void aSucceedingStepListsItsOutputAsAnUnarchivedArtifactBesideItsParameters() throws Exception {
        executor = builder(repository).build();
        ExecuteTemplateReply reply =
                executor.execute(
                        step("u1", TestModules.test("chatty"), "run", ",\"logs\":\"artifact\""));
        assertThat(reply.node().phase()).as(reply.node().message()).isEqualTo(NodePhase.Succeeded);
        assertThat(reply.node().message()).isNullOrEmpty();
        assertThat(reply.node().outputs().parameters().get(0).value()).isEqualTo("2");
        Artifact logs = logArtifact(reply);
        assertThat(logs.field("s3").get("key").asString())
                .startsWith("logs-wf/logs-wf-wasm-")
                .endsWith("/guest-logs");
        assertThat(logs.field("archive").has("none")).isTrue();
        assertThat(stored(logs)).isEqualTo("hello from the guest\nsecond line\n");
        try (var left = Files.list(scratch)) {
            assertThat(left).as("the staging workspace is deleted").isEmpty();
        }
    }

    @Test
    void aFailedStepKeepsAllItsOutputWhileTheMessageKeepsTheLastLines() throws Exception {
        executor = builder(repository).build();
        ExecuteTemplateReply reply =
                executor.execute(
                        step(
                                "u2",
                                TestModules.test("conformance"),
                                "log",
                                ",\"logs\":\"artifact\""));
        assertThat(reply.node().phase()).isEqualTo(NodePhase.Failed);
        assertThat(reply.node().message()).contains("logged and failed", "stderr: stderr line");
        assertThat(stored(logArtifact(reply)))
                .contains(
                        "console line 1\n",
                        "console line 2\n",
                        "console line 3\n",
                        "stdout line\n",
                        "stderr line\n");
    }

    @Test
    void aTimedOutStepStoresWhatItPrintedWithinTheOutputBudget() throws Exception {
        executor = builder(repository).outputBudget(new GuestOutput.Budget(1L << 20, 3)).build();
        ExecuteTemplateReply reply =
                executor.execute(
                        step(
                                "u3",
                                TestModules.test("hostile/console-flood"),
                                "flood",
                                ",\"logs\":\"artifact\",\"limits\":{\"timeout\":\"300ms\"}"));
        assertThat(reply.node().phase()).isEqualTo(NodePhase.Failed);
        assertThat(reply.node().message()).contains("timed out after 300ms");
        List<String> lines = stored(logArtifact(reply)).lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).hasSize(4096).matches("x+");
        assertThat(lines.get(3)).startsWith("[output truncated:").contains("--max-guest-output");
    }

    @Test
    void theSidecarsDefaultAppliesToTemplatesThatDoNotSayAndLogOptsOut() throws Exception {
        executor = builder(repository).guestLogs(GuestLogs.artifact).build();
        ExecuteTemplateReply unsaid =
                executor.execute(step("u4", TestModules.test("chatty"), "run", ""));
        assertThat(stored(logArtifact(unsaid))).startsWith("hello from the guest");
        ExecuteTemplateReply optedOut =
                executor.execute(
                        step("u5", TestModules.test("chatty"), "run", ",\"logs\":\"log\""));
        assertThat(optedOut.node().phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(optedOut.node().outputs().artifacts()).isEmpty();
    }

    @Test
    void withoutTheRequestNothingIsStored() throws Exception {
        executor = builder(repository).build();
        ExecuteTemplateReply reply =
                executor.execute(step("u6", TestModules.test("chatty"), "run", ""));
        assertThat(reply.node().outputs().artifacts()).isEmpty();
        try (var stored = Files.list(repository)) {
            assertThat(stored).isEmpty();
        }
    }

    @Test
    void aRepositoryThatCannotStoreItLeavesTheResultAndSaysSo() throws Exception {
        Path notADirectory = Files.writeString(scratch.resolve("occupied"), "a file");
        executor = builder(notADirectory).build();
        ExecuteTemplateReply reply =
                executor.execute(
                        step("u7", TestModules.test("chatty"), "run", ",\"logs\":\"artifact\""));
        assertThat(reply.node().phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(reply.node().outputs().parameters().get(0).value()).isEqualTo("2");
        assertThat(reply.node().outputs().artifacts()).isEmpty();
        assertThat(reply.node().message())
                .startsWith(
                        "the guest's output was not stored as output artifact 'guest-logs'"
                                + " (plugin.wasm.logs): ");
    }

    @Test
    void aPluginWithoutARepositorySaysSoAndTheStepStillSucceeds() {
        executor =
                TemplateExecutor.builder(Json.mapper(), modules)
                        .replyWithin(Duration.ofSeconds(30))
                        .build();
        ExecuteTemplateReply reply =
                executor.execute(
                        step("u8", TestModules.test("chatty"), "run", ",\"logs\":\"artifact\""));
        assertThat(reply.node().phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(reply.node().message())
                .contains("not stored", "this plugin runs without an artifact repository");
    }

    @Test
    void anOutputOfTheSameNameOrAnUnknownValueIsATemplateError() {
        executor = builder(repository).build();
        ExecuteTemplateReply clash =
                executor.execute(
                        step(
                                "u9",
                                TestModules.test("chatty"),
                                "run",
                                ",\"logs\":\"artifact\"",
                                "{\"artifacts\":[{\"name\":\"guest-logs\",\"path\":\"/out/l\"}]}"));
        assertThat(clash.node().phase()).isEqualTo(NodePhase.Failed);
        assertThat(clash.node().message())
                .contains("declares an output of that name", "plugin.wasm.logs: log");
        ExecuteTemplateReply unknown =
                executor.execute(
                        step("u10", TestModules.test("chatty"), "run", ",\"logs\":\"s3\""));
        assertThat(unknown.node().message())
                .contains("plugin.wasm.logs 's3' is not known: use artifact");
    }
}
