package io.argowasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.artifacts.ArchiveLimits;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.ZerosBomb;
import io.argowasm.artifacts.kubernetes.KubernetesRepositoryResolver;
import io.argowasm.artifacts.s3.GeneratedContent;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.Digests;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import io.argowasm.server.PluginServer;
import io.argowasm.server.TokenCheck;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Artifact steps through the sidecar's HTTP endpoint, as Argo's agent sends them: the repository is
 * found in the cluster (fabric8's mock API server: ConfigMaps and Secrets), the objects live in an
 * S3Proxy, and the guest is the wordcount example. Every failure is a 200 {@code Failed} reply that
 * names what to fix, and the sidecar goes on serving.
 */
@EnableKubernetesMockClient(crud = true)
class ArtifactsEndToEndTest {

    private static final String TOKEN = "e2e0123456789abcdef0123456789abc";
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final String BUCKET = "artifacts";
    private static final String CONTROLLER_BUCKET = "controller-artifacts";
    private static final String SECRET = "s3-credentials";

    /** The key of the fixture's input: what an earlier pod step uploaded. */
    private static final String INPUT_KEY = "etl-7x2kq/etl-7x2kq-fetch-1234567890/text.tgz";

    /** Words of at least 3 characters: 7 of 9. */
    private static final String TEXT = "a quick brown fox\njumps over an old dog\n";

    private static final String EXPECTED_COUNTS =
            "{\"words\":7,\"lines\":2,\"bytes\":" + TEXT.length() + "}";
    private static final String EXPECTED_REPORT =
            "7 words of at least 3 characters (9 words in all), 2 lines, "
                    + TEXT.length()
                    + " bytes\n";

    /** A step's artifacts may take this much disk, so a small input can pass it. */
    private static final long DISK_BUDGET = 16L << 20;

    static KubernetesClient client;

    @TempDir static Path scratch;

    private static InProcessS3 s3;
    private static String unreachableEndpoint;
    private static TemplateExecutor executor;
    private static PluginServer server;
    private static AgentClient agent;
    private static final AtomicInteger workflows = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        s3 = InProcessS3.start();
        s3.createBucket(BUCKET);
        s3.createBucket(CONTROLLER_BUCKET);
        byte[] text = TarGz.ofFile("text.txt", TEXT);
        s3.put(BUCKET, INPUT_KEY, text);
        s3.put(CONTROLLER_BUCKET, INPUT_KEY, text);

        // Argo's lookup: the namespace's artifact-repositories ConfigMap (default key from its
        // annotation), else the controller ConfigMap; credentials from the namespace's Secret.
        secret("argo", InProcessS3.SECRET_KEY);
        artifactRepositories("argo", s3Repository(s3.hostPort(), BUCKET));
        client.configMaps()
                .inNamespace("argo")
                .resource(
                        new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName("workflow-controller-configmap")
                                .endMetadata()
                                .addToData(
                                        "artifactRepository",
                                        s3Repository(s3.hostPort(), CONTROLLER_BUCKET))
                                .build())
                .create();
        secret("team-b", InProcessS3.SECRET_KEY);
        secret("wrong-credentials", "not-the-secret-key");
        artifactRepositories("wrong-credentials", s3Repository(s3.hostPort(), BUCKET));
        secret("unreachable", InProcessS3.SECRET_KEY);
        unreachableEndpoint = "127.0.0.1:" + closedPort();
        artifactRepositories("unreachable", s3Repository(unreachableEndpoint, BUCKET));
        secret("no-bucket", InProcessS3.SECRET_KEY);
        artifactRepositories("no-bucket", s3Repository(s3.hostPort(), "no-such-bucket"));

        ArtifactWorkspaces workspaces =
                ArtifactWorkspaces.builder(KubernetesRepositoryResolver.builder(client).build())
                        .temporaryRoot(scratch)
                        .limits(new ArchiveLimits(1000, 200))
                        .maxDiskBytes(DISK_BUDGET)
                        .build();
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(64L << 20, Duration.ofSeconds(10)), 64L << 20, 16);
        executor =
                TemplateExecutor.builder(Json.mapper(), store)
                        .replyWithin(Duration.ofSeconds(20))
                        .artifacts(workspaces)
                        .build();
        server = PluginServer.start(executor, TokenCheck.of(TOKEN), "127.0.0.1", 0, 1L << 20);
        agent = new AgentClient(server.port(), TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (executor != null) {
            executor.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void argosArtifactRequestCountsWordsAndStoresBothOutputs() throws Exception {
        JsonNode node = agent.execute(argoFixture(), PATIENCE);

        assertThat(node.path("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        assertThat(node.path("message").asString()).contains("7 words");
        assertThat(node.at("/outputs/parameters")).hasSize(1);
        assertThat(node.at("/outputs/parameters/0/name").asString()).isEqualTo("total");
        assertThat(node.at("/outputs/parameters/0/value").asString()).isEqualTo("7");

        JsonNode counts = artifact(node, "counts");
        assertThat(counts.path("path").asString()).isEqualTo("/out/counts.json");
        assertThat(counts.has("archive")).as("the default archive is not echoed").isFalse();
        String countsKey = keyOnly(counts);
        assertThat(countsKey).startsWith("etl-7x2kq/").endsWith("/counts.tgz");
        assertThat(TarGz.entries(s3.get(BUCKET, countsKey)))
                .containsExactly(Map.entry("counts.json", EXPECTED_COUNTS));

        JsonNode report = artifact(node, "report");
        assertThat(report.path("path").asString()).isEqualTo("/out/report.txt");
        assertThat(report.path("archive").toString()).isEqualTo("{\"none\":{}}");
        String reportKey = keyOnly(report);
        assertThat(reportKey).startsWith("etl-7x2kq/").endsWith("/report");
        assertThat(new String(s3.get(BUCKET, reportKey), StandardCharsets.UTF_8))
                .isEqualTo(EXPECTED_REPORT);
        assertWorkspacesDeleted();
    }

    @Test
    void theModuleIsAnInputArtifactAnEarlierStepUploadedPinnedByItsDigest() throws Exception {
        byte[] wordcount = TestModules.bytes(TestModules.example("wordcount/wordcount"));
        String sha256 = Digests.sha256(wordcount);
        // As Argo stores a file output of an earlier step: tar+gzip of one entry.
        s3.put(BUCKET, "build/wordcount.tgz", TarGz.ofFile("wordcount.wasm", wordcount));
        ObjectNode body = moduleFromArtifact(sha256);

        JsonNode node = agent.execute(body, PATIENCE);
        assertThat(node.path("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        assertThat(node.at("/outputs/parameters/0/value").asString())
                .as("the guest counted its text input; the module artifact is not one of its own")
                .isEqualTo("7");
        assertWorkspacesDeleted();

        JsonNode wrong = agent.execute(moduleFromArtifact("0".repeat(64)), PATIENCE);
        assertThat(wrong.path("phase").asString()).isEqualTo("Failed");
        assertThat(wrong.path("message").asString())
                .contains("module artifact 'module' does not match its pinned sha256")
                .contains("expected " + "0".repeat(64))
                .contains("got " + sha256);
        assertWorkspacesDeleted();
    }

    /** The fixture with its module read from input artifact "module" (build/wordcount.tgz). */
    private static ObjectNode moduleFromArtifact(String sha256) throws Exception {
        ObjectNode body = argoBody();
        ((ArrayNode) body.at("/template/inputs/artifacts"))
                .addObject()
                .put("name", "module")
                .putObject("s3")
                .put("key", "build/wordcount.tgz");
        ((ObjectNode) body.at("/template/plugin/wasm"))
                .putObject("module")
                .put("artifact", "module")
                .put("sha256", sha256);
        return body;
    }

    @Test
    void aNamespaceWithoutItsOwnRepositoryUsesTheControllersDefault() throws Exception {
        JsonNode node = agent.execute(argoBody("team-b"), PATIENCE);

        assertThat(node.path("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        String countsKey = keyOnly(artifact(node, "counts"));
        assertThat(TarGz.entries(s3.get(CONTROLLER_BUCKET, countsKey)))
                .containsExactly(Map.entry("counts.json", EXPECTED_COUNTS));
        assertThat(s3.exists(BUCKET, countsKey)).isFalse();
    }

    @Test
    void theCopyGuestStreamsAnUnarchivedInputOfManyChunksUnchanged() throws Exception {
        byte[] content = new GeneratedContent(17 * 65536 + 123, 0).readAllBytes();
        s3.put(BUCKET, "copy/in.bin", content);
        ObjectNode body = argoBody();
        ObjectNode template = (ObjectNode) body.get("template");
        template.set(
                "inputs",
                Json.mapper()
                        .readTree(
                                "{\"artifacts\":[{\"name\":\"in\",\"path\":\"/in/data.bin\","
                                    + "\"archive\":{\"none\":{}},\"s3\":{\"key\":\"copy/in.bin\"}}]}"));
        template.set(
                "outputs",
                Json.mapper()
                        .readTree(
                                "{\"parameters\":[{\"name\":\"bytes\"}],\"artifacts\":[{\"name\":"
                                    + "\"out\",\"path\":\"/out/data.bin\",\"archive\":{\"none\":{}}}]}"));
        ((ObjectNode) template.at("/plugin/wasm"))
                .put("operation", "copy")
                .putObject("module")
                .put("file", TestModules.test("conformance").toString());

        JsonNode node = agent.execute(body, PATIENCE);

        assertThat(node.path("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        assertThat(node.at("/outputs/parameters/0/value").asString())
                .isEqualTo(Integer.toString(content.length));
        assertThat(s3.get(BUCKET, keyOnly(artifact(node, "out")))).isEqualTo(content);
    }

    @Test
    void aMissingInputKeyNamesTheArtifactKeyBucketAndEndpoint() throws Exception {
        ObjectNode body = argoBody();
        input(body).putObject("s3").put("key", "etl-7x2kq/never-uploaded/text.tgz");

        assertFailsAndServesOn(
                body,
                "input artifact 'text' does not exist",
                "etl-7x2kq/never-uploaded/text.tgz",
                "bucket '" + BUCKET + "'",
                s3.hostPort());
    }

    @Test
    void wrongCredentialsInTheSecretAreReportedWithoutTheirValues() throws Exception {
        JsonNode node =
                assertFailsAndServesOn(
                        argoBody("wrong-credentials"),
                        "input artifact 'text'",
                        "bucket '" + BUCKET + "'",
                        s3.hostPort(),
                        "rejected the credentials");
        assertThat(node.path("message").asString())
                .doesNotContain("not-the-secret-key")
                .doesNotContain(InProcessS3.ACCESS_KEY);
    }

    @Test
    void anUnreachableEndpointIsNamed() throws Exception {
        assertFailsAndServesOn(
                argoBody("unreachable"),
                "input artifact 'text'",
                "bucket '" + BUCKET + "' at http://" + unreachableEndpoint + " is unreachable",
                "check the endpoint");
    }

    @Test
    void aMissingBucketIsNamed() throws Exception {
        assertFailsAndServesOn(
                argoBody("no-bucket"),
                "input artifact 'text'",
                "bucket 'no-such-bucket'",
                s3.hostPort(),
                "does not exist; create the bucket");
    }

    @Test
    void anArchiveWhoseEntryClimbsOutIsRefused() throws Exception {
        assertRefusedInput(
                new TarGz().file("../../escaped.txt", "outside").toBytes(),
                "holds entry '../../escaped.txt' that escapes the archive root");
    }

    @Test
    void anArchiveWithALinkLeadingOutIsRefused() throws Exception {
        assertRefusedInput(
                new TarGz()
                        .directory("text")
                        .symlink("text/passwd", "../../../../etc/passwd")
                        .file("text/words.txt", TEXT)
                        .toBytes(),
                "holds symbolic link 'text/passwd'",
                "leads outside the artifact");
    }

    @Test
    void anArchiveBombIsRefusedAtTheCompressionRatio() throws Exception {
        byte[] bomb = ZerosBomb.of("text.txt", 4L << 10);
        assertThat(bomb.length).as("4 MiB that unpack to 4 GiB").isLessThan(5 << 20);

        assertRefusedInput(
                bomb, "unpacks to more than 200 times its compressed size", "--max-archive-ratio");
    }

    @Test
    void anInputThatUnpacksPastTheDiskBudgetFailsTheStep() throws Exception {
        byte[] archive = new TarGz().generated("text.txt", DISK_BUDGET + (8 << 20)).toBytes();
        String key = "large/" + workflows.incrementAndGet() + "/text.tgz";
        s3.put(BUCKET, key, archive);
        ObjectNode body = argoBody();
        input(body).putObject("s3").put("key", key);

        assertFailsAndServesOn(
                body,
                "input artifact 'text' would take the step's artifacts past their disk budget of"
                        + " 16 MiB (16777216 bytes)",
                "raise --max-artifact-disk");
    }

    @Test
    void aFailedUploadLeavesNoWorkspaceBehind() throws Exception {
        // The input needs no repository; the outputs go to one whose bucket does not exist.
        ObjectNode body = argoBody("no-bucket");
        ObjectNode text = input(body);
        text.remove("s3");
        text.putObject("raw").put("data", "words enough to count");

        assertFailsAndServesOn(
                body, "output artifact '", "bucket 'no-such-bucket'", "does not exist");
    }

    @Test
    void anInputStoredInAnUnsupportedRepositoryTypeIsNamed() throws Exception {
        ObjectNode body = argoBody();
        ObjectNode text = input(body);
        text.remove("s3");
        text.putObject("gcs").put("bucket", "my-gcs-bucket").put("key", "text.tgz");

        assertFailsAndServesOn(
                body, "input artifact 'text' is stored as gcs", "use s3, raw or http");
    }

    /** Uploads {@code archive} as the input and expects the step to refuse it. */
    private static void assertRefusedInput(byte[] archive, String... fragments) throws Exception {
        String key = "hostile/" + workflows.incrementAndGet() + "/text.tgz";
        s3.put(BUCKET, key, archive);
        ObjectNode body = argoBody();
        input(body).putObject("s3").put("key", key);

        JsonNode node = assertFailsAndServesOn(body, "input artifact 'text' was refused");
        assertThat(node.path("message").asString()).contains(fragments);
    }

    /**
     * The step fails with a 200 reply whose message holds every fragment; then the sidecar still
     * answers its health check and runs a good step.
     */
    private static JsonNode assertFailsAndServesOn(ObjectNode body, String... fragments)
            throws Exception {
        JsonNode node = agent.execute(body, PATIENCE);
        assertThat(node.path("phase").asString()).as(node.toString()).isEqualTo("Failed");
        assertThat(node.path("message").asString()).contains(fragments);
        assertThat(node.has("outputs")).as("a failed step has no outputs").isFalse();

        assertThat(agent.healthz()).isEqualTo(200);
        JsonNode good = agent.execute(argoBody(), PATIENCE);
        assertThat(good.path("phase").asString()).as(good.toString()).isEqualTo("Succeeded");
        assertThat(good.at("/outputs/parameters/0/value").asString()).isEqualTo("7");
        assertWorkspacesDeleted();
        return node;
    }

    /**
     * Every step's files go once its reply is out; the deletion may trail the reply by a moment.
     */
    private static void assertWorkspacesDeleted() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Stream<Path> left = Files.list(scratch)) {
                if (left.findAny().isEmpty()) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as("workspaces left in " + scratch).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Argo's artifact request as captured, with the wordcount example as its module. */
    private static ObjectNode argoFixture() throws Exception {
        ObjectNode body =
                (ObjectNode)
                        Json.mapper()
                                .readTree(
                                        Files.readString(
                                                TestModules.argoFixture("wasm-artifacts.json")));
        ((ObjectNode) body.at("/template/plugin/wasm"))
                .putObject("module")
                .put("file", TestModules.example("wordcount/wordcount").toString());
        return body;
    }

    /** The fixture for a workflow run of its own in the "argo" namespace. */
    private static ObjectNode argoBody() throws Exception {
        return argoBody("argo");
    }

    /**
     * The fixture for a workflow run of its own in {@code namespace}, so no two calls join one
     * invocation and each namespace's repository is looked up afresh.
     */
    private static ObjectNode argoBody(String namespace) throws Exception {
        ObjectNode body = argoFixture();
        int run = workflows.incrementAndGet();
        ((ObjectNode) body.at("/workflow/metadata"))
                .put("name", "etl-run-" + run)
                .put("namespace", namespace)
                .put("uid", "e2e-uid-" + run);
        return body;
    }

    private static ObjectNode input(ObjectNode body) {
        return (ObjectNode) body.at("/template/inputs/artifacts/0");
    }

    private static JsonNode artifact(JsonNode node, String name) {
        for (JsonNode artifact : (ArrayNode) node.at("/outputs/artifacts")) {
            if (artifact.path("name").asString().equals(name)) {
                return artifact;
            }
        }
        throw new AssertionError("no output artifact '" + name + "' in " + node);
    }

    /** The artifact's s3 location holds only a key: the workflow's repository supplies the rest. */
    private static String keyOnly(JsonNode artifact) {
        JsonNode location = artifact.path("s3");
        assertThat(location.propertyNames()).as(artifact.toString()).containsExactly("key");
        return location.get("key").asString();
    }

    private static String s3Repository(String endpoint, String bucket) {
        return "s3:\n"
                + "  endpoint: "
                + endpoint
                + "\n  insecure: true\n  bucket: "
                + bucket
                + "\n  accessKeySecret: {name: "
                + SECRET
                + ", key: accessKey}\n  secretKeySecret: {name: "
                + SECRET
                + ", key: secretKey}\n";
    }

    private static void artifactRepositories(String namespace, String repository) {
        client.configMaps()
                .inNamespace(namespace)
                .resource(
                        new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName("artifact-repositories")
                                .addToAnnotations(
                                        "workflows.argoproj.io/default-artifact-repository",
                                        "default-v1")
                                .endMetadata()
                                .addToData("default-v1", repository)
                                .build())
                .create();
    }

    private static void secret(String namespace, String secretKey) {
        client.secrets()
                .inNamespace(namespace)
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName(SECRET)
                                .endMetadata()
                                .addToData("accessKey", base64(InProcessS3.ACCESS_KEY))
                                .addToData("secretKey", base64(secretKey))
                                .build())
                .create();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A loopback port nothing listens on. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
