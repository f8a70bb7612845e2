package io.argowasm.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.argowasm.artifacts.ArtifactLimitException.Limit;
import io.argowasm.artifacts.local.DirectoryArtifactRepository;
import io.argowasm.artifacts.local.FixedRepositoryResolver;
import io.argowasm.artifacts.s3.GeneratedContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way bytes reach a workspace is held to its disk budget, and refused before it is passed.
 */
class WorkspaceDiskBudgetTest {
    private static final WorkflowRef WORKFLOW = new WorkflowRef("etl-7x2kq", "argo", "uid-1");
    private static final long BUDGET = 4L << 20;

    @TempDir Path dir;

    private Path store;
    private ArtifactWorkspace workspace;

    @BeforeEach
    void open() throws IOException {
        store = Files.createDirectories(dir.resolve("store"));
        workspace =
                ArtifactWorkspaces.builder(
                                FixedRepositoryResolver.of(new DirectoryArtifactRepository(store)))
                        .temporaryRoot(dir.resolve("tmp"))
                        .maxDiskBytes(BUDGET)
                        .build()
                        .open(WORKFLOW, "inv-1");
    }

    @AfterEach
    void close() {
        workspace.close();
    }

    @Test
    void aPlainObjectLargerThanTheBudgetIsRefusedWhileItIsCopied() throws IOException {
        generate(store.resolve("big.bin"), BUDGET + 1);

        assertRefused(
                () -> workspace.download(ArtifactSpec.s3Key("big", "/in/big", "big.bin")),
                "input artifact 'big' would take the step's artifacts past their disk budget of"
                        + " 4 MiB (4194304 bytes)");
        assertThat(workspace.diskBytesUsed()).isLessThanOrEqualTo(BUDGET);
        long onDisk = 0;
        for (Path file : filesUnder(dir.resolve("tmp"))) {
            onDisk += Files.size(file);
        }
        assertThat(onDisk).isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void inputsTogetherAreHeldToTheBudgetAndAnUnpackedArchiveNoLongerCounts() throws IOException {
        Path data = generate(dir.resolve("data"), 2L << 20);
        pack(data, store.resolve("first.tgz"));
        pack(data, store.resolve("second.tgz"));

        StagedArtifact first =
                workspace
                        .download(ArtifactSpec.s3Key("first", "/in/first", "first.tgz"))
                        .orElseThrow();

        assertThat(first.size()).isEqualTo(2L << 20);
        assertThat(workspace.diskBytesUsed()).isEqualTo(2L << 20);
        assertRefused(
                () -> workspace.download(ArtifactSpec.s3Key("second", "/in/second", "second.tgz")),
                "input artifact 'second' would take");
    }

    @Test
    void rawAndHttpInputsCountToo() throws IOException {
        ArtifactSpec raw =
                new ArtifactSpec(
                        "raw",
                        "/in/raw",
                        false,
                        ArchiveStrategy.NONE,
                        new ArtifactSource.Raw("x".repeat((int) BUDGET + 1)));
        assertRefused(() -> workspace.download(raw), "input artifact 'raw' would take");

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/endless",
                exchange -> {
                    // Chunked and without end: only the budget stops the download.
                    exchange.sendResponseHeaders(200, 0);
                    byte[] block = new byte[64 * 1024];
                    try (OutputStream out = exchange.getResponseBody()) {
                        while (true) {
                            out.write(block);
                        }
                    } catch (IOException closedByTheClient) {
                        // expected
                    }
                });
        server.start();
        try {
            ArtifactSpec endless =
                    new ArtifactSpec(
                            "endless",
                            "/in/endless",
                            false,
                            ArchiveStrategy.NONE,
                            new ArtifactSource.Http(
                                    "http://127.0.0.1:%d/endless"
                                            .formatted(server.getAddress().getPort()),
                                    List.of()));
            assertRefused(() -> workspace.download(endless), "input artifact 'endless' would take");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void outputsTheGuestAppendsStopAtTheBudget() throws IOException {
        byte[] mebibyte = new byte[1 << 20];
        try (OutputStream out = workspace.appendTo("report", workspace.outputPath("report"))) {
            for (int i = 0; i < 4; i++) {
                out.write(mebibyte);
            }
            assertRefused(
                    () -> {
                        out.write(1);
                        return null;
                    },
                    "output artifact 'report' would take the step's artifacts past their disk"
                            + " budget");
        }
        assertThat(workspace.outputPath("report")).hasSize(BUDGET);
        assertThatThrownBy(() -> workspace.appendTo("report", dir.resolve("elsewhere")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a file of output artifact 'report'");
    }

    @Test
    void anOutputArchiveCountsWhileItIsUploadedAndIsGivenBackAfter() throws IOException {
        try (OutputStream out = workspace.appendTo("small", workspace.outputPath("small"));
                InputStream data = new GeneratedContent(1L << 20, 3)) {
            data.transferTo(out);
        }
        workspace.upload(ArtifactSpec.output("small", "/out/small"));
        assertThat(workspace.diskBytesUsed()).isEqualTo(1L << 20);

        try (OutputStream out = workspace.appendTo("large", workspace.outputPath("large"));
                InputStream data = new GeneratedContent(5L << 19, 4)) {
            data.transferTo(out);
        }
        // 3.5 MiB written; the archive of 2.5 MiB of such text needs more than the 0.5 MiB left.
        assertRefused(
                () -> workspace.upload(ArtifactSpec.output("large", "/out/large")),
                "output artifact 'large' would take");
        assertThat(workspace.diskBytesUsed()).isEqualTo(7L << 19);
    }

    private interface Call {
        Object call() throws Exception;
    }

    private static void assertRefused(Call call, String message) {
        assertThatThrownBy(call::call)
                .isInstanceOfSatisfying(
                        ArtifactLimitException.class,
                        e -> assertThat(e.limit()).isEqualTo(Limit.DISK_BUDGET))
                .hasMessageContaining(message);
    }

    private static Path generate(Path file, long size) throws IOException {
        try (InputStream data = new GeneratedContent(size, 1)) {
            Files.copy(data, file);
        }
        return file;
    }

    private static void pack(Path file, Path tgz) throws IOException {
        ArchivePacker.pack("data", file, "data", 1, Files.newOutputStream(tgz));
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
