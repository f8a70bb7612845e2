package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.artifacts.ArtifactLimitException;
import io.argowasm.artifacts.ArtifactWorkspace;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.WorkflowRef;
import io.argowasm.artifacts.local.DirectoryArtifactRepository;
import io.argowasm.artifacts.local.FixedRepositoryResolver;
import io.argowasm.exec.PayloadLimits;
import io.argowasm.module.ModuleSourcePolicy;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The flags for module sources and payload caps, and their defaults per command. */
class RuntimeOptionsTest {

    private static RuntimeOptions parse(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve.runtime;
    }

    private static void check(ModuleSourcePolicy policy, String url) throws Exception {
        policy.check(URI.create(url), "module " + url);
    }

    @Test
    void serveRefusesPlainHttpAndLoopbackByDefault() {
        ModuleSourcePolicy serving = parse().sourcePolicy(true);
        assertThatThrownBy(() -> check(serving, "http://127.0.0.1:8080/m.wasm"))
                .hasMessageContaining("--allow-http");
        assertThatThrownBy(() -> check(serving, "https://127.0.0.1:8080/m.wasm"))
                .hasMessageContaining("--allow-private-module-hosts");
    }

    @Test
    void runAndDryRunAllowPlainHttpAndLoopbackByDefault() {
        assertThatCode(() -> check(parse().sourcePolicy(false), "http://127.0.0.1:8080/m.wasm"))
                .doesNotThrowAnyException();
    }

    @Test
    void serveReadsModuleFilesOnlyFromItsModuleDirectories(@TempDir Path dir) throws Exception {
        Path modules = Files.createDirectories(dir.resolve("modules"));
        Path inside = Files.writeString(modules.resolve("m.wasm"), "x");
        Path outside = Files.writeString(dir.resolve("token"), "secret");
        Path link = Files.createSymbolicLink(modules.resolve("link.wasm"), outside);
        ModuleSourcePolicy serving = parse("--module-dir", modules.toString()).sourcePolicy(true);
        assertThatCode(() -> serving.checkFile(inside)).doesNotThrowAnyException();
        assertThatThrownBy(() -> serving.checkFile(outside))
                .hasMessageContaining("is outside the directories this sidecar reads modules from")
                .hasMessageContaining("--module-dir");
        assertThatThrownBy(() -> serving.checkFile(link))
                .as("links are followed")
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> parse().sourcePolicy(true).checkFile(outside))
                .as("serve's default is /modules")
                .hasMessageContaining("(/modules)");
        assertThatCode(() -> parse().sourcePolicy(false).checkFile(outside))
                .as("local runs read modules anywhere")
                .doesNotThrowAnyException();
    }

    @Test
    void theFlagsOverrideEitherDefault() {
        assertThatCode(
                        () ->
                                check(
                                        parse("--allow-http", "--allow-private-module-hosts")
                                                .sourcePolicy(true),
                                        "http://127.0.0.1:8080/m.wasm"))
                .doesNotThrowAnyException();
        assertThatThrownBy(
                        () ->
                                check(
                                        parse("--no-allow-http").sourcePolicy(false),
                                        "http://127.0.0.1:8080/m.wasm"))
                .hasMessageContaining("--allow-http");
    }

    @Test
    void moduleHostsTakeACommaSeparatedListOfGlobs() {
        ModuleSourcePolicy policy =
                parse("--module-hosts", "modules.example.com,*.cdn.example.org")
                        .sourcePolicy(false);
        assertThatCode(() -> check(policy, "http://a.cdn.example.org/m.wasm"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> check(policy, "http://example.net/m.wasm"))
                .hasMessageContaining(
                        "is not in this sidecar's module hosts (modules.example.com,"
                                + " *.cdn.example.org)");
    }

    @Test
    void payloadCapsHaveGenerousDefaultsAndFlags() {
        assertThat(parse().payloadLimits()).isEqualTo(PayloadLimits.DEFAULTS);
        assertThat(
                        parse(
                                        "--max-input-size",
                                        "8Mi",
                                        "--max-response-size",
                                        "32Mi",
                                        "--max-output-size",
                                        "512Ki")
                                .payloadLimits())
                .isEqualTo(new PayloadLimits(8L << 20, 32 << 20, 512L << 10));
    }

    @Test
    void artifactDiskFlagsReachTheWorkspaces(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("work");
        ArtifactWorkspaces workspaces =
                parse(
                                "--max-artifact-disk",
                                "1Ki",
                                "--max-archive-ratio",
                                "50",
                                "--work-dir",
                                work.toString())
                        .artifactWorkspaces(
                                ArtifactWorkspaces.builder(
                                                FixedRepositoryResolver.of(
                                                        new DirectoryArtifactRepository(dir)))
                                        .build());

        assertThat(workspaces.root()).isEqualTo(work);
        try (ArtifactWorkspace workspace =
                        workspaces.open(new WorkflowRef("wf", "argo", "uid"), "inv");
                OutputStream out = workspace.appendTo("o", workspace.outputPath("o"))) {
            out.write(new byte[1024]);
            assertThatThrownBy(() -> out.write(1))
                    .isInstanceOf(ArtifactLimitException.class)
                    .hasMessageContaining("disk budget of 1 KiB (1024 bytes)");
        }
    }

    @Test
    void artifactDiskDefaultsFitTheManifest() {
        RuntimeOptions defaults = parse();
        assertThat(defaults.maxArtifactDisk).isEqualTo(1L << 30);
        assertThat(defaults.maxArchiveRatio).isEqualTo(200);
        assertThat(defaults.workDir).isEqualTo(ArtifactWorkspaces.defaultRoot());
    }

    @Test
    void badArtifactDiskFlagsAreNamed() {
        ArtifactWorkspaces any =
                ArtifactWorkspaces.builder(
                                FixedRepositoryResolver.of(
                                        new DirectoryArtifactRepository(Path.of("."))))
                        .build();
        assertThatThrownBy(() -> parse("--max-artifact-disk", "lots"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage(
                        "Invalid value for option '--max-artifact-disk': 'lots' is not a memory"
                                + " quantity; use Kubernetes syntax such as 64Mi or 1Gi");
        assertThatThrownBy(() -> parse("--max-artifact-disk", "0").artifactWorkspaces(any))
                .hasMessageContaining("--max-artifact-disk must be more than 0");
        assertThatThrownBy(() -> parse("--max-archive-ratio", "0").artifactWorkspaces(any))
                .hasMessageContaining("--max-archive-ratio must be positive");
    }
}
