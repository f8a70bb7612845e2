package io.argowasm.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.sun.net.httpserver.HttpServer;
import io.argowasm.artifacts.local.DirectoryArtifactRepository;
import io.argowasm.artifacts.local.FixedRepositoryResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class ArtifactWorkspaceTest {
    private static final WorkflowRef WORKFLOW = new WorkflowRef("etl-7x2kq", "argo", "uid-1");

    @TempDir Path dir;

    private Path store;
    private ArtifactWorkspaces workspaces;
    private ArtifactWorkspace workspace;

    @BeforeEach
    void open() throws IOException {
        store = Files.createDirectories(dir.resolve("store"));
        workspaces =
                ArtifactWorkspaces.builder(
                                FixedRepositoryResolver.of(new DirectoryArtifactRepository(store)))
                        .temporaryRoot(dir.resolve("tmp"))
                        .build();
        workspace = workspaces.open(WORKFLOW, "inv-1");
    }

    @AfterEach
    void close() {
        workspace.close();
    }

    @Test
    void aTgzInputIsUnpackedToTheFileItHolds() throws IOException {
        new TarGzBuilder().file("text.txt", "to be or not").writeTo(store.resolve("text.tgz"));

        StagedArtifact text =
                workspace
                        .download(ArtifactSpec.s3Key("text", "/in/text", "text.tgz"))
                        .orElseThrow();

        assertThat(text.isDirectory()).isFalse();
        assertThat(text.path()).hasContent("to be or not");
        assertThat(text.size()).isEqualTo(12);
        assertThat(text.templatePath()).isEqualTo("/in/text");
    }

    @Test
    void aTgzOfADirectoryIsStagedAsThatDirectoryWithItsEntries() throws IOException {
        new TarGzBuilder()
                .directory("data")
                .file("data/a.txt", "A")
                .file("data/sub/b.txt", "BB")
                .writeTo(Files.createDirectories(store.resolve("k")).resolve("data.tgz"));

        StagedArtifact data =
                workspace
                        .download(ArtifactSpec.s3Key("data", "/in/data", "k/data.tgz"))
                        .orElseThrow();

        assertThat(data.isDirectory()).isTrue();
        assertThat(data.entries()).containsExactly("a.txt", "sub/b.txt");
        assertThat(data.size()).isEqualTo(3);
        assertThat(data.resolve("sub/b.txt")).hasContent("BB");
        assertThatThrownBy(() -> data.resolve("../../escape"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points outside the artifact");
    }

    @Test
    void archiveNoneKeepsEvenAGzipTarAsItIs() throws IOException {
        Path tgz = new TarGzBuilder().file("f", "x").writeTo(store.resolve("raw.tgz"));

        StagedArtifact raw =
                workspace
                        .download(
                                ArtifactSpec.s3Key("raw", "/in/raw", "raw.tgz")
                                        .withArchive(ArchiveStrategy.NONE))
                        .orElseThrow();

        assertThat(raw.path()).hasSameBinaryContentAs(tgz);
    }

    @Test
    void plainObjectsAreStagedAsTheyAre() throws IOException {
        Files.writeString(store.resolve("plain.txt"), "plain");

        assertThat(
                        workspace
                                .download(ArtifactSpec.s3Key("p", "/in/p", "plain.txt"))
                                .orElseThrow()
                                .path())
                .hasContent("plain");
    }

    @Test
    void declaredTarThatIsNotATarIsAnError() throws IOException {
        Files.writeString(store.resolve("plain.txt"), "plain");

        assertThatThrownBy(
                        () ->
                                workspace.download(
                                        ArtifactSpec.s3Key("p", "/in/p", "plain.txt")
                                                .withArchive(ArchiveStrategy.tar(null))))
                .hasMessageContaining("'p' is declared archive: tar but is not a tar+gzip");
    }

    @Test
    void aMissingOptionalInputIsSimplyAbsent() {
        assertThat(
                        workspace.download(
                                ArtifactSpec.s3Key("maybe", "/in/maybe", "nope.tgz")
                                        .withOptional(true)))
                .isEmpty();
    }

    @Test
    void aMissingRequiredInputNamesArtifactKeyAndRepository() {
        assertThatThrownBy(
                        () -> workspace.download(ArtifactSpec.s3Key("text", "/in/t", "no/key.tgz")))
                .isInstanceOf(ArtifactNotFoundException.class)
                .hasMessageContaining("input artifact 'text'")
                .hasMessageContaining("no key 'no/key.tgz'")
                .hasMessageContaining(store.toString());
    }

    @Test
    void rawInputsNeedNoRepository() {
        ArtifactWorkspace noRepository =
                ArtifactWorkspaces.builder(new UnusableResolver())
                        .temporaryRoot(dir.resolve("tmp"))
                        .build()
                        .open(WORKFLOW, "inv-2");
        try (noRepository) {
            StagedArtifact raw =
                    noRepository
                            .download(
                                    new ArtifactSpec(
                                            "greeting",
                                            "/in/g",
                                            false,
                                            ArchiveStrategy.DEFAULT,
                                            new ArtifactSource.Raw("héllo")))
                            .orElseThrow();
            assertThat(raw.path()).hasContent("héllo");
        }
    }

    @Test
    void unsupportedLocationsAreNamed() {
        ArtifactSpec gcs =
                new ArtifactSpec(
                        "model",
                        "/in/m",
                        false,
                        ArchiveStrategy.DEFAULT,
                        new ArtifactSource.Unsupported("gcs"));

        assertThatThrownBy(() -> workspace.download(gcs))
                .isInstanceOf(UnsupportedArtifactException.class)
                .hasMessageContaining("input artifact 'model' is stored as gcs");
    }

    @Test
    void aFileOutputIsStoredAsAnArgoTgzUnderTheDefaultKey() throws IOException {
        Files.writeString(workspace.outputPath("counts"), "{\"the\":3}");

        ArtifactReference reference =
                workspace.upload(ArtifactSpec.output("counts", "/out/counts.json")).orElseThrow();

        assertThat(reference.key()).isEqualTo("etl-7x2kq/etl-7x2kq-wasm-inv-1/counts.tgz");
        assertThat(TarGzContents.of(store.resolve(reference.key())))
                .containsExactly(entry("counts.json", "{\"the\":3}"));
        assertThat(new JsonMapper().writeValueAsString(reference.toJson()))
                .isEqualTo(
                        "{\"name\":\"counts\",\"path\":\"/out/counts.json\","
                            + "\"s3\":{\"key\":\"etl-7x2kq/etl-7x2kq-wasm-inv-1/counts.tgz\"}}");
    }

    @Test
    void aDirectoryOutputIsStoredUnderItsPathBaseName() throws IOException {
        Files.writeString(workspace.outputEntry("report", "index.html"), "<h1/>");
        Files.writeString(workspace.outputEntry("report", "img/logo.svg"), "<svg/>");

        ArtifactReference reference =
                workspace.upload(ArtifactSpec.output("report", "/out/site")).orElseThrow();

        assertThat(TarGzContents.of(store.resolve(reference.key())))
                .containsExactly(
                        entry("site/", null),
                        entry("site/img/", null),
                        entry("site/img/logo.svg", "<svg/>"),
                        entry("site/index.html", "<h1/>"));
    }

    @Test
    void archiveNoneStoresTheRawFileAndEchoesTheArchive() throws IOException {
        Files.writeString(workspace.outputPath("report"), "plain report");

        ArtifactReference reference =
                workspace
                        .upload(
                                ArtifactSpec.output("report", "/out/report.txt")
                                        .withArchive(ArchiveStrategy.NONE))
                        .orElseThrow();

        assertThat(reference.key()).isEqualTo("etl-7x2kq/etl-7x2kq-wasm-inv-1/report");
        assertThat(store.resolve(reference.key())).hasContent("plain report");
        assertThat(reference.toJson().get("archive").toString()).isEqualTo("{\"none\":{}}");
    }

    @Test
    void archiveNoneRefusesADirectory() {
        workspace.outputEntry("site", "index.html");
        ArtifactSpec none =
                ArtifactSpec.output("site", "/out/site").withArchive(ArchiveStrategy.NONE);

        assertThatThrownBy(() -> workspace.upload(none))
                .hasMessageContaining("output artifact 'site' is a directory, but archive: none");
    }

    @Test
    void anOutputWithItsOwnKeyIsStoredThere() throws IOException {
        Files.writeString(workspace.outputPath("model"), "weights");
        ArtifactSpec output =
                new ArtifactSpec(
                        "model",
                        "/out/model.bin",
                        false,
                        ArchiveStrategy.DEFAULT,
                        new ArtifactSource.S3(S3Location.builder().key("models/v1.tgz").build()));

        assertThat(workspace.upload(output).orElseThrow().key()).isEqualTo("models/v1.tgz");
        assertThat(store.resolve("models/v1.tgz")).exists();
    }

    @Test
    void unwrittenOutputsAreAbsentWhenOptionalAndAnErrorOtherwise() {
        assertThat(workspace.upload(ArtifactSpec.output("log", "/out/log").withOptional(true)))
                .isEmpty();
        assertThatThrownBy(() -> workspace.upload(ArtifactSpec.output("log", "/out/log")))
                .hasMessageContaining("output artifact 'log' was not written");
    }

    @Test
    void outputEntriesCannotEscapeTheirArtifact() {
        assertThatThrownBy(() -> workspace.outputEntry("site", "../counts"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> workspace.outputEntry("site", "/etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> workspace.outputPath("../x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingDeletesEverythingTheWorkspaceHeld() throws IOException {
        new TarGzBuilder().file("t", "x").writeTo(store.resolve("t.tgz"));
        Path staged =
                workspace.download(ArtifactSpec.s3Key("t", "/in/t", "t.tgz")).orElseThrow().path();
        Files.writeString(workspace.outputPath("o"), "o");

        workspace.close();

        assertThat(staged).doesNotExist();
        try (var left = Files.list(dir.resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void outputsStoredAreInputsOfTheNextStep() throws IOException {
        Files.writeString(workspace.outputEntry("tree", "a/b.txt"), "deep");
        String key = workspace.upload(ArtifactSpec.output("tree", "/out/tree")).orElseThrow().key();

        try (ArtifactWorkspace next = workspaces.open(WORKFLOW, "inv-next")) {
            StagedArtifact tree =
                    next.download(ArtifactSpec.s3Key("tree", "/in/tree", key)).orElseThrow();
            assertThat(tree.entries()).containsExactly("a/b.txt");
            assertThat(tree.resolve("a/b.txt")).hasContent("deep");
        }
    }

    @Test
    void invocationIdsMustBeUsableInKeys() {
        assertThatThrownBy(() -> workspaces.open(WORKFLOW, "a/b"))
                .hasMessageContaining("invocation id 'a/b' is not usable");
    }

    @Test
    void httpInputsAreFetchedWithTheirHeadersAndUnpacked() throws IOException {
        Path tgz = new TarGzBuilder().file("page.txt", "fetched").writeTo(dir.resolve("p.tgz"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/files",
                exchange -> {
                    boolean authorised =
                            "Bearer t0ken"
                                    .equals(exchange.getRequestHeaders().getFirst("Authorization"));
                    boolean found = exchange.getRequestURI().getPath().equals("/files/p.tgz");
                    int status = !authorised ? 401 : found ? 200 : 404;
                    byte[] body = status == 200 ? Files.readAllBytes(tgz) : new byte[0];
                    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/files/";
        try {
            assertThat(workspace.download(http("page", base + "p.tgz", "Bearer t0ken", false)))
                    .get()
                    .extracting(StagedArtifact::path)
                    .satisfies(path -> assertThat(path).hasContent("fetched"));
            assertThat(workspace.download(http("gone", base + "x", "Bearer t0ken", true)))
                    .isEmpty();
            assertThatThrownBy(
                            () ->
                                    workspace.download(
                                            http(
                                                    "gone2",
                                                    base + "x?sig=s3cr3t",
                                                    "Bearer t0ken",
                                                    false)))
                    .isInstanceOf(ArtifactNotFoundException.class)
                    .hasMessageContaining(base + "x answered 404")
                    .hasMessageNotContaining("s3cr3t");
            assertThatThrownBy(
                            () -> workspace.download(http("denied", base + "p.tgz", "no", false)))
                    .hasMessageContaining("answered HTTP 401")
                    .hasMessageNotContaining("no\"");
        } finally {
            server.stop(0);
        }
    }

    private static ArtifactSpec http(
            String name, String url, String authorization, boolean optional) {
        return new ArtifactSpec(
                name,
                "/in/" + name,
                optional,
                ArchiveStrategy.DEFAULT,
                new ArtifactSource.Http(url, List.of(Map.entry("Authorization", authorization))));
    }

    /** Stands for a cluster where no repository could be found. */
    private static final class UnusableResolver implements RepositoryResolver {
        @Override
        public ResolvedRepository resolve(WorkflowRef workflow) {
            throw new ArtifactRepositoryException(
                    ArtifactRepositoryException.Reason.NOT_CONFIGURED, "no repository");
        }

        @Override
        public ArtifactRepository locatedAt(WorkflowRef workflow, S3Location location) {
            throw new ArtifactRepositoryException(
                    ArtifactRepositoryException.Reason.NOT_CONFIGURED, "no repository");
        }
    }
}
