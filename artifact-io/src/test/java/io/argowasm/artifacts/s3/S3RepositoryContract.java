package io.argowasm.artifacts.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.artifacts.ArchiveStrategy;
import io.argowasm.artifacts.ArtifactLimitException;
import io.argowasm.artifacts.ArtifactLimitException.Limit;
import io.argowasm.artifacts.ArtifactNotFoundException;
import io.argowasm.artifacts.ArtifactReference;
import io.argowasm.artifacts.ArtifactRepositoryException;
import io.argowasm.artifacts.ArtifactRepositoryException.Reason;
import io.argowasm.artifacts.ArtifactSpec;
import io.argowasm.artifacts.ArtifactWorkspace;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.S3Location;
import io.argowasm.artifacts.StagedArtifact;
import io.argowasm.artifacts.WorkflowRef;
import io.argowasm.artifacts.local.FixedRepositoryResolver;
import io.minio.ListMultipartUploadsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.StatObjectArgs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every S3 server must show through {@link S3ArtifactRepository}. */
abstract class S3RepositoryContract {
    private static final WorkflowRef WORKFLOW = new WorkflowRef("wf", "argo", "uid");
    private static final long PART = 5L << 20;

    @TempDir Path dir;

    protected String bucket;
    protected MinioAsyncClient admin;

    protected abstract String endpoint();

    protected abstract String accessKey();

    protected abstract String secretKey();

    @BeforeEach
    void createBucket() throws Exception {
        admin =
                MinioAsyncClient.builder()
                        .endpoint(endpoint())
                        .credentials(accessKey(), secretKey())
                        .build();
        bucket = "artifacts-" + UUID.randomUUID().toString().substring(0, 8);
        admin.makeBucket(MakeBucketArgs.builder().bucket(bucket).build()).join();
    }

    private S3ArtifactRepository repository(String endpoint, String bucketName, String secret) {
        return S3ArtifactRepository.builder(
                        S3Location.builder().endpoint(endpoint).bucket(bucketName).build(),
                        S3Credentials.of(accessKey(), secret, null))
                .partSize(PART)
                .build();
    }

    private S3ArtifactRepository repository() {
        return repository(endpoint(), bucket, secretKey());
    }

    private ArtifactWorkspace workspace(S3ArtifactRepository repository) {
        return ArtifactWorkspaces.builder(FixedRepositoryResolver.of(repository))
                .temporaryRoot(dir.resolve("tmp"))
                .build()
                .open(WORKFLOW, "inv");
    }

    @Test
    void anOutputStoredInS3IsTheNextStepsInput() throws IOException {
        String key;
        try (ArtifactWorkspace workspace = workspace(repository())) {
            Files.writeString(workspace.outputEntry("tree", "a.txt"), "alpha");
            Files.writeString(workspace.outputEntry("tree", "b/c.txt"), "gamma");
            ArtifactReference reference =
                    workspace.upload(ArtifactSpec.output("tree", "/out/tree")).orElseThrow();
            key = reference.key();
        }
        assertThat(key).isEqualTo("wf/wf-wasm-inv/tree.tgz");

        try (ArtifactWorkspace workspace = workspace(repository())) {
            StagedArtifact tree =
                    workspace.download(ArtifactSpec.s3Key("tree", "/in/tree", key)).orElseThrow();
            assertThat(tree.entries()).containsExactly("a.txt", "b/c.txt");
            assertThat(tree.resolve("b/c.txt")).hasContent("gamma");
        }
    }

    @Test
    void unarchivedOutputsAreStoredByteForByte() throws Exception {
        try (ArtifactWorkspace workspace = workspace(repository())) {
            Files.writeString(workspace.outputPath("report"), "the report");
            String key =
                    workspace
                            .upload(
                                    ArtifactSpec.output("report", "/out/report.txt")
                                            .withArchive(ArchiveStrategy.NONE))
                            .orElseThrow()
                            .key();

            long size =
                    admin.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build())
                            .join()
                            .size();
            assertThat(size).isEqualTo("the report".length());
        }
    }

    @Test
    void objectsLargerThanAPartGoUpInPartsAndComeBackWhole() throws IOException {
        Path big = dir.resolve("big.bin");
        writeRandom(big, 3 * PART + 12345);
        repository().upload("big", "big/object.bin", big);

        Path back = dir.resolve("back.bin");
        try (OutputStream out = Files.newOutputStream(back)) {
            repository().download("big", "big/object.bin", out);
        }

        assertThat(back).hasSameBinaryContentAs(big);
    }

    @Test
    void anObjectOverTheDiskBudgetIsRefusedWhileItStreams() throws IOException {
        Path big = dir.resolve("big.bin");
        writeRandom(big, 3L << 20);
        repository().upload("big", "big.bin", big);
        ArtifactWorkspace small =
                ArtifactWorkspaces.builder(FixedRepositoryResolver.of(repository()))
                        .temporaryRoot(dir.resolve("tmp"))
                        .maxDiskBytes(1L << 20)
                        .build()
                        .open(WORKFLOW, "inv");

        try (small) {
            assertThatThrownBy(
                            () -> small.download(ArtifactSpec.s3Key("big", "/in/big", "big.bin")))
                    .isInstanceOfSatisfying(
                            ArtifactLimitException.class,
                            e -> assertThat(e.limit()).isEqualTo(Limit.DISK_BUDGET))
                    .hasMessageContaining("input artifact 'big' would take")
                    .hasMessageContaining("disk budget of 1 MiB");
            assertThat(small.diskBytesUsed()).isLessThanOrEqualTo(1L << 20);
        }
    }

    @Test
    void aMissingKeyNamesArtifactKeyBucketAndEndpoint() {
        try (ArtifactWorkspace workspace = workspace(repository())) {
            assertThatThrownBy(
                            () ->
                                    workspace.download(
                                            ArtifactSpec.s3Key("text", "/in/t", "no/such.tgz")))
                    .isInstanceOf(ArtifactNotFoundException.class)
                    .hasMessageContaining("input artifact 'text'")
                    .hasMessageContaining("no key 'no/such.tgz'")
                    .hasMessageContaining("bucket '" + bucket + "' at " + endpoint());
            assertThat(
                            workspace.download(
                                    ArtifactSpec.s3Key("maybe", "/in/m", "no/such.tgz")
                                            .withOptional(true)))
                    .isEmpty();
        }
    }

    @Test
    void aWrongSecretKeyIsReportedWithoutRevealingIt() {
        S3ArtifactRepository wrong = repository(endpoint(), bucket, "not-the-secret-at-all");

        assertThatThrownBy(() -> wrong.download("text", "k", OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(
                        ArtifactRepositoryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_CREDENTIALS))
                .hasMessageContaining("input artifact 'text'")
                .hasMessageContaining("bucket '" + bucket + "' at " + endpoint())
                .hasMessageNotContaining("not-the-secret-at-all")
                .hasMessageNotContaining(secretKey());
    }

    @Test
    void aMissingBucketIsReportedAsSuch() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        S3ArtifactRepository missing = repository(endpoint(), "no-such-bucket-here", secretKey());

        assertThatThrownBy(() -> missing.upload("out", "k", file))
                .isInstanceOfSatisfying(
                        ArtifactRepositoryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BUCKET_MISSING))
                .hasMessageContaining("output artifact 'out'")
                .hasMessageContaining("bucket 'no-such-bucket-here'");
    }

    @Test
    void anUnreachableEndpointIsReportedAsSuch() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closedPort;

        assertThatThrownBy(
                        () ->
                                repository(nowhere, bucket, secretKey())
                                        .download("text", "k", OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(
                        ArtifactRepositoryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
                .hasMessageContaining(nowhere);
    }

    @Test
    void aMultipartUploadCutInTheMiddleLeavesNoObjectAndNoPendingUpload() throws Exception {
        Path big = dir.resolve("big.bin");
        writeRandom(big, 3 * PART);
        int port = URI.create(endpoint()).getPort();
        try (CuttingProxy proxy = new CuttingProxy(port, 2L << 20)) {
            S3ArtifactRepository cut = repository(proxy.endpoint(), bucket, secretKey());

            assertThatThrownBy(() -> cut.upload("big", "cut/object.bin", big))
                    .isInstanceOf(ArtifactRepositoryException.class)
                    .hasMessageContaining("output artifact 'big'");
        }

        assertThatThrownBy(
                        () ->
                                admin.statObject(
                                                StatObjectArgs.builder()
                                                        .bucket(bucket)
                                                        .object("cut/object.bin")
                                                        .build())
                                        .join())
                .isInstanceOf(CompletionException.class);
        assertThat(
                        admin.listMultipartUploads(
                                        ListMultipartUploadsArgs.builder().bucket(bucket).build())
                                .join()
                                .result()
                                .uploads())
                .isEmpty();
    }

    private static void writeRandom(Path file, long size) throws IOException {
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }
}
