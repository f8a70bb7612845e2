package io.argowasm.artifacts.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.artifacts.ArchiveStrategy;
import io.argowasm.artifacts.ArtifactReference;
import io.argowasm.artifacts.ArtifactSpec;
import io.argowasm.artifacts.ArtifactWorkspace;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.S3Location;
import io.argowasm.artifacts.S3ProxyServer;
import io.argowasm.artifacts.StagedArtifact;
import io.argowasm.artifacts.WorkflowRef;
import io.argowasm.artifacts.local.FixedRepositoryResolver;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moves a 1 GiB artifact down from and back up to S3Proxy through a workspace, with the test JVM
 * limited to a 256 MiB heap (see the {@code large-artifacts} profile): nothing may hold an object
 * in memory. Run with {@code mvn -pl artifact-io verify -Dgroups=large}.
 */
@Tag("large")
class LargeArtifactStreamingTest {
    private static final long SIZE = 1L << 30;
    private static final long PART = 16L << 20;
    private static final double MIB = 1 << 20;

    @TempDir Path dir;

    @Test
    void aGibibyteGoesDownAndUpWithoutBeingHeldInMemory() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start()) {
            MinioClient admin =
                    MinioClient.builder()
                            .endpoint(s3.endpoint())
                            .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
                            .build();
            admin.makeBucket(MakeBucketArgs.builder().bucket("large").build());
            long seeded = seed(admin, "wf/seed/big.tgz");

            S3ArtifactRepository repository =
                    S3ArtifactRepository.builder(
                                    S3Location.builder()
                                            .endpoint(s3.endpoint())
                                            .bucket("large")
                                            .build(),
                                    S3Credentials.of(
                                            S3ProxyServer.ACCESS_KEY,
                                            S3ProxyServer.SECRET_KEY,
                                            null))
                            .build();
            ArtifactWorkspaces workspaces =
                    ArtifactWorkspaces.builder(FixedRepositoryResolver.of(repository))
                            .temporaryRoot(dir)
                            // The archive, the unpacked GiB and the output archive, at once.
                            .maxDiskBytes(4L << 30)
                            .build();
            try (ArtifactWorkspace workspace =
                    workspaces.open(new WorkflowRef("wf", "argo", "uid"), "large")) {
                long start = System.nanoTime();
                StagedArtifact big =
                        workspace
                                .download(
                                        ArtifactSpec.s3Key("big", "/in/big.bin", "wf/seed/big.tgz"))
                                .orElseThrow();
                double down = seconds(start);
                assertThat(big.size()).isEqualTo(SIZE);
                assertThat(crcOf(big.path())).isEqualTo(seeded);

                Files.move(big.path(), workspace.outputPath("copy"));
                start = System.nanoTime();
                ArtifactReference copy =
                        workspace
                                .upload(
                                        ArtifactSpec.output("copy", "/out/big.bin")
                                                .withArchive(ArchiveStrategy.tar(1)))
                                .orElseThrow();
                double up = seconds(start);

                assertThat(crcOfStoredEntry(admin, copy.key())).isEqualTo(seeded);
                System.out.printf(
                        "1 GiB artifact: download+unpack %.1f MB/s (%.1f s), pack+upload %.1f"
                                + " MB/s (%.1f s), heap limit %d MiB, peak RSS %s%n",
                        SIZE / MIB / down,
                        down,
                        SIZE / MIB / up,
                        up,
                        Runtime.getRuntime().maxMemory() >> 20,
                        peakRss());
            }
        }
    }

    /** Streams a generated tgz of one 1 GiB file into S3; returns the file's CRC32. */
    private static long seed(MinioClient admin, String key) throws Exception {
        GeneratedContent content = new GeneratedContent(SIZE, 7);
        PipedInputStream upload = new PipedInputStream(1 << 20);
        PipedOutputStream archive = new PipedOutputStream(upload);
        CompletableFuture<Void> writer =
                CompletableFuture.runAsync(
                        () -> {
                            GzipParameters fast = new GzipParameters();
                            fast.setCompressionLevel(1);
                            try (OutputStream out = archive;
                                    TarArchiveOutputStream tar =
                                            new TarArchiveOutputStream(
                                                    new GzipCompressorOutputStream(out, fast))) {
                                TarArchiveEntry entry = new TarArchiveEntry("big.bin");
                                entry.setSize(SIZE);
                                tar.putArchiveEntry(entry);
                                content.transferTo(tar);
                                tar.closeArchiveEntry();
                                tar.finish();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
        admin.putObject(
                PutObjectArgs.builder().bucket("large").object(key).stream(upload, -1L, PART)
                        .build());
        writer.join();
        return content.crc();
    }

    private static long crcOf(Path file) throws IOException {
        try (InputStream in = new CheckedInputStream(Files.newInputStream(file), new CRC32())) {
            in.transferTo(OutputStream.nullOutputStream());
            return ((CheckedInputStream) in).getChecksum().getValue();
        }
    }

    private static long crcOfStoredEntry(MinioClient admin, String key) throws Exception {
        try (InputStream object =
                        admin.getObject(
                                GetObjectArgs.builder().bucket("large").object(key).build());
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new GZIPInputStream(object, 1 << 16))) {
            TarArchiveEntry entry = tar.getNextEntry();
            assertThat(entry.getName()).isEqualTo("big.bin");
            assertThat(entry.getSize()).isEqualTo(SIZE);
            CheckedInputStream data = new CheckedInputStream(tar, new CRC32());
            data.transferTo(OutputStream.nullOutputStream());
            return data.getChecksum().getValue();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String peakRss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return "unknown";
        }
        return Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("VmHWM:"))
                .map(line -> line.substring("VmHWM:".length()).trim())
                .findFirst()
                .orElse("unknown");
    }
}
