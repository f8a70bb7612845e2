package io.argowasm.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.ExecuteTemplateReply;
import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.artifacts.ArchiveLimits;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.ZerosBomb;
import io.argowasm.artifacts.local.DirectoryArtifactRepository;
import io.argowasm.artifacts.local.FixedRepositoryResolver;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * A step's artifacts are held to its disk budget and archive ratio: over either, the step fails
 * naming the artifact, the bytes and the flag, and leaves no file behind.
 */
class ArtifactDiskTest {
    private static final long BUDGET = 8L << 20;

    @TempDir Path repository;
    @TempDir Path scratch;
    private TemplateExecutor executor;

    @BeforeEach
    void start() {
        ModuleStore modules =
                new ModuleStore(new ModuleFetcher(1L << 20, Duration.ofSeconds(5)), 64L << 20, 8);
        ArtifactWorkspaces workspaces =
                ArtifactWorkspaces.builder(
                                FixedRepositoryResolver.of(
                                        new DirectoryArtifactRepository(repository)))
                        .temporaryRoot(scratch)
                        .maxDiskBytes(BUDGET)
                        .limits(ArchiveLimits.DEFAULT)
                        .build();
        executor = TemplateExecutor.builder(Json.mapper(), modules).artifacts(workspaces).build();
    }

    @AfterEach
    void stop() {
        executor.close();
    }

    @Test
    void anInputOverTheBudgetFailsTheStepBeforeTheModuleRuns() throws Exception {
        Files.write(repository.resolve("big.bin"), new byte[(int) BUDGET + 1]);

        ExecuteTemplateReply reply = executor.execute(copy("big.bin"));

        assertFailedLeavingNothing(
                reply,
                "input artifact 'in' would take the step's artifacts past their disk budget of 8"
                        + " MiB (8388608 bytes)",
                "raise --max-artifact-disk");
        assertThat(reply.node().message()).doesNotStartWith("module ");
    }

    @Test
    void anArchiveBombFailsTheStepAtTheRatioNamingTheFlag() throws Exception {
        // 1 MiB of gzip that would unpack to 1 GiB; stopped after a few MiB.
        Files.write(repository.resolve("bomb.tgz"), ZerosBomb.of("zeros", 1L << 10));

        ExecuteTemplateReply reply = executor.execute(copy("bomb.tgz", "{}"));

        assertFailedLeavingNothing(
                reply,
                "input artifact 'in' was refused: its archive unpacks to more than 200 times its"
                        + " compressed size",
                "raise --max-archive-ratio");
    }

    @Test
    void aGuestWritingPastTheBudgetFailsTheStepNamingTheOutput() throws Exception {
        Files.write(repository.resolve("in.bin"), new byte[5 << 20]);

        ExecuteTemplateReply reply = executor.execute(copy("in.bin"));

        assertFailedLeavingNothing(
                reply,
                "cannot write output artifact \"out\"",
                "output artifact 'out' would take the step's artifacts past their disk budget of 8"
                        + " MiB",
                "raise --max-artifact-disk");
    }

    @Test
    void aGuestThatIgnoresTheRefusedWriteStillFails() {
        ExecuteTemplateArgs args =
                ArtifactStepTest.args(
                        TestModules.test("conformance"),
                        "host-call",
                        "{}",
                        "{\"artifacts\":[{\"name\":\"out\",\"path\":\"/out\"}]}");
        ObjectNode wasm = (ObjectNode) args.template().plugin().get("wasm");
        // The guest makes one host call, then answers success whatever it got back.
        wasm.putObject("options")
                .put("binding", "artifacts")
                .put("namespace", "out")
                .put("operation", "write")
                .put("payload", "x".repeat((int) BUDGET + 1));

        ExecuteTemplateReply reply = executor.execute(args);

        assertFailedLeavingNothing(
                reply, "output artifact 'out' would take", "raise --max-artifact-disk");
    }

    @Test
    void anUnusableArtifactNameFailsTheStepAndLeavesNothing() {
        ExecuteTemplateReply reply =
                executor.execute(
                        ArtifactStepTest.args(
                                TestModules.test("conformance"),
                                "copy",
                                "{\"artifacts\":[{\"name\":\"in put\",\"path\":\"/in\","
                                        + "\"raw\":{\"data\":\"x\"}}]}",
                                "{}"));

        assertFailedLeavingNothing(reply, "artifact name 'in put' is not usable");
    }

    /** The conformance guest's {@code copy} of {@code key} from input {@code in} to {@code out}. */
    private static ExecuteTemplateArgs copy(String key) {
        return copy(key, "{\"none\":{}}");
    }

    private static ExecuteTemplateArgs copy(String key, String archive) {
        return ArtifactStepTest.args(
                TestModules.test("conformance"),
                "copy",
                "{\"artifacts\":[{\"name\":\"in\",\"path\":\"/in\",\"archive\":%s,\"s3\":{\"key\":\"%s\"}}]}"
                        .formatted(archive, key),
                "{\"parameters\":[{\"name\":\"bytes\"}],\"artifacts\":[{\"name\":\"out\","
                        + "\"path\":\"/out\",\"archive\":{\"none\":{}}}]}");
    }

    private void assertFailedLeavingNothing(ExecuteTemplateReply reply, String... fragments) {
        assertThat(reply.node().phase()).as(reply.node().message()).isEqualTo(NodePhase.Failed);
        assertThat(reply.node().message()).contains(fragments);
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("the workspace is deleted after the step").isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
