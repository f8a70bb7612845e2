package io.argowasm.artifacts.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.artifacts.ArchiveStrategy;
import io.argowasm.artifacts.ArtifactRepositoryException;
import io.argowasm.artifacts.ArtifactRepositoryException.Reason;
import io.argowasm.artifacts.ArtifactSource;
import io.argowasm.artifacts.ArtifactSpec;
import io.argowasm.artifacts.ArtifactWorkspace;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.ResolvedRepository;
import io.argowasm.artifacts.S3Location;
import io.argowasm.artifacts.S3ProxyServer;
import io.argowasm.artifacts.SecretKeyRef;
import io.argowasm.artifacts.UnsupportedArtifactException;
import io.argowasm.artifacts.WorkflowRef;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.dataformat.yaml.YAMLMapper;

@EnableKubernetesMockClient(crud = true)
class KubernetesRepositoryResolverTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String NAMESPACE = "team-a";
    private static final WorkflowRef WORKFLOW = new WorkflowRef("etl-7x2kq", NAMESPACE, "uid-1");
    private static final ResourceDefinitionContext WORKFLOWS =
            new ResourceDefinitionContext.Builder()
                    .withGroup("argoproj.io")
                    .withVersion("v1alpha1")
                    .withKind("Workflow")
                    .withPlural("workflows")
                    .withNamespaced(true)
                    .build();

    private static S3ProxyServer s3;
    private static MinioAsyncClient admin;

    KubernetesClient client;

    @TempDir Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.start();
        admin =
                MinioAsyncClient.builder()
                        .endpoint(s3.endpoint())
                        .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
                        .build();
        for (String bucket : new String[] {"from-status", "from-configmap", "explicit"}) {
            admin.makeBucket(MakeBucketArgs.builder().bucket(bucket).build()).join();
        }
        put("from-status", "in/greeting.txt", "hello from status");
        put("from-configmap", "in/greeting.txt", "hello from configmap");
        put("explicit", "own/greeting.txt", "hello from explicit");
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    private static void put(String bucket, String key, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        admin.putObject(
                        PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                        new java.io.ByteArrayInputStream(bytes),
                                        (long) bytes.length,
                                        null)
                                .build())
                .join();
    }

    private KubernetesRepositoryResolver resolver() {
        return KubernetesRepositoryResolver.builder(client).build();
    }

    /** An S3 repository on the test's S3Proxy, as YAML, with the test's Secret. */
    private static String s3Repository(String bucket, String extra) {
        String hostPort = s3.endpoint().substring("http://".length());
        return "s3:\n"
                + "  endpoint: "
                + hostPort
                + "\n  insecure: true\n  bucket: "
                + bucket
                + "\n  accessKeySecret: {name: s3-creds, key: accessKey}\n"
                + "  secretKeySecret: {name: s3-creds, key: secretKey}\n"
                + extra;
    }

    private void secret(String namespace) {
        client.secrets()
                .inNamespace(namespace)
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("s3-creds")
                                .endMetadata()
                                .addToData("accessKey", base64(S3ProxyServer.ACCESS_KEY))
                                .addToData("secretKey", base64(S3ProxyServer.SECRET_KEY))
                                .build())
                .create();
    }

    private void configMap(
            String namespace, String name, String defaultKey, Map<String, String> data) {
        ConfigMapBuilder builder =
                new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata();
        if (defaultKey != null) {
            builder.editMetadata()
                    .addToAnnotations(RepositoryLookup.DEFAULT_KEY_ANNOTATION, defaultKey)
                    .endMetadata();
        }
        client.configMaps()
                .inNamespace(namespace)
                .resource(builder.addToData(data).build())
                .create();
    }

    /** Creates the Workflow; returns the creation time the API server gave it. */
    @SuppressWarnings("unchecked")
    private Instant workflow(String specYaml, String statusYaml) {
        GenericKubernetesResourceBuilder builder =
                new GenericKubernetesResourceBuilder()
                        .withApiVersion("argoproj.io/v1alpha1")
                        .withKind("Workflow")
                        .withNewMetadata()
                        .withName(WORKFLOW.name())
                        .withNamespace(NAMESPACE)
                        .endMetadata();
        if (specYaml != null) {
            builder.addToAdditionalProperties("spec", YAML.readValue(specYaml, Map.class));
        }
        if (statusYaml != null) {
            builder.addToAdditionalProperties("status", YAML.readValue(statusYaml, Map.class));
        }
        GenericKubernetesResource created =
                client.genericKubernetesResources(WORKFLOWS)
                        .inNamespace(NAMESPACE)
                        .resource(builder.build())
                        .create();
        return Instant.parse(created.getMetadata().getCreationTimestamp());
    }

    private static String indent(String yaml, int spaces) {
        return yaml.replaceAll("(?m)^", " ".repeat(spaces));
    }

    private String download(KubernetesRepositoryResolver resolver, ArtifactSpec spec)
            throws Exception {
        try (ArtifactWorkspace workspace =
                ArtifactWorkspaces.builder(resolver)
                        .temporaryRoot(dir)
                        .build()
                        .open(WORKFLOW, "inv")) {
            return java.nio.file.Files.readString(workspace.download(spec).orElseThrow().path());
        }
    }

    private static ArtifactSpec greeting() {
        return ArtifactSpec.s3Key("greeting", "/in/greeting", "in/greeting.txt");
    }

    @Test
    void theRepositoryStoredInTheWorkflowStatusComesFirstAndItsSecretsAreUsed() throws Exception {
        secret(NAMESPACE);
        configMap(
                NAMESPACE,
                "artifact-repositories",
                "default",
                Map.of("default", s3Repository("from-configmap", "")));
        Instant created =
                workflow(
                        null,
                        "artifactRepositoryRef:\n  artifactRepository:\n"
                                + indent(s3Repository("from-status", ""), 4));

        ResolvedRepository resolved = resolver().resolve(WORKFLOW);

        assertThat(resolved.repository().description()).contains("bucket 'from-status'");
        assertThat(resolved.workflowCreated()).isEqualTo(created);
        assertThat(download(resolver(), greeting())).isEqualTo("hello from status");
    }

    @Test
    void aReferenceInTheWorkflowSpecReadsItsConfigMapInTheWorkflowNamespace() {
        secret(NAMESPACE);
        configMap(NAMESPACE, "my-repos", null, Map.of("team", s3Repository("team-bucket", "")));
        configMap("argo", "my-repos", null, Map.of("team", s3Repository("controller-bucket", "")));
        workflow("artifactRepositoryRef: {configMap: my-repos, key: team}", null);

        assertThat(resolver().resolve(WORKFLOW).repository().description())
                .contains("bucket 'team-bucket'");
    }

    @Test
    void aReferenceFallsBackToTheControllerNamespace() {
        secret(NAMESPACE);
        configMap("argo", "my-repos", null, Map.of("team", s3Repository("controller-bucket", "")));
        workflow("artifactRepositoryRef: {configMap: my-repos, key: team}", null);

        assertThat(resolver().resolve(WORKFLOW).repository().description())
                .contains("bucket 'controller-bucket'");
    }

    @Test
    void aReferenceFoundNowhereIsAnError() {
        workflow("artifactRepositoryRef: {configMap: my-repos, key: team}", null);

        assertThatThrownBy(() -> resolver().resolve(WORKFLOW))
                .isInstanceOfSatisfying(
                        ArtifactRepositoryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_CONFIGURED))
                .hasMessageContaining("ConfigMap 'my-repos' key 'team'")
                .hasMessageContaining("[team-a, argo]");
    }

    @Test
    void withoutWorkflowTheNamespacesDefaultRepositoryIsUsed() throws Exception {
        secret(NAMESPACE);
        configMap(
                NAMESPACE,
                "artifact-repositories",
                "default-v1",
                Map.of(
                        "default-v1", s3Repository("from-configmap", ""),
                        "other", s3Repository("from-status", "")));

        ResolvedRepository resolved = resolver().resolve(WORKFLOW);

        assertThat(resolved.repository().description()).contains("bucket 'from-configmap'");
        assertThat(resolved.workflowCreated()).isNull();
        assertThat(download(resolver(), greeting())).isEqualTo("hello from configmap");
    }

    @Test
    void theControllerConfigMapIsTheLastResort() {
        secret(NAMESPACE);
        configMap(
                NAMESPACE, "artifact-repositories", null, Map.of("x", s3Repository("unused", "")));
        configMap(
                "argo",
                "workflow-controller-configmap",
                null,
                Map.of("artifactRepository", s3Repository("controller-default", "")));

        assertThat(resolver().resolve(WORKFLOW).repository().description())
                .contains("bucket 'controller-default'");
    }

    @Test
    void theControllerNamespaceAndTheOlderConfigLayoutAreHonoured() {
        secret(NAMESPACE);
        configMap(
                "argo-system",
                "workflow-controller-configmap",
                null,
                Map.of("config", "artifactRepository:\n" + indent(s3Repository("legacy", ""), 2)));

        KubernetesRepositoryResolver resolver =
                KubernetesRepositoryResolver.builder(client)
                        .controllerNamespace("argo-system")
                        .build();

        assertThat(resolver.resolve(WORKFLOW).repository().description())
                .contains("bucket 'legacy'");
    }

    @Test
    void nothingConfiguredIsReportedWithWhereItLooked() {
        assertThatThrownBy(() -> resolver().resolve(WORKFLOW))
                .isInstanceOfSatisfying(
                        ArtifactRepositoryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_CONFIGURED))
                .hasMessageContaining(
                        "no artifact repository is configured for workflow team-a/etl-7x2kq")
                .hasMessageContaining("ConfigMap argo/workflow-controller-configmap");
    }

    @Test
    void theRepositoryKeyFormatIsKeptWithTheWorkflowCreationTime() {
        secret(NAMESPACE);
        Instant created =
                workflow(
                        null,
                        "artifactRepositoryRef:\n  artifactRepository:\n"
                                + indent(
                                        s3Repository(
                                                "from-status",
                                                "  keyFormat:"
                                                    + " '{{workflow.name}}/{{workflow.creationTimestamp.Y}}'\n"),
                                        4));

        ResolvedRepository resolved = resolver().resolve(WORKFLOW);

        assertThat(resolved.keyFormat().keyFor(WORKFLOW, resolved.workflowCreated(), "i", "a.tgz"))
                .isEqualTo("etl-7x2kq/" + created.atZone(ZoneOffset.UTC).getYear() + "/a.tgz");
    }

    @Test
    void aMissingSecretIsNamedWithoutAnyValue() {
        configMap(
                NAMESPACE,
                "artifact-repositories",
                "default",
                Map.of("default", s3Repository("from-configmap", "")));

        assertThatThrownBy(() -> resolver().resolve(WORKFLOW))
                .isInstanceOfSatisfying(
                        ArtifactRepositoryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_CONFIGURED))
                .hasMessageContaining("Secret team-a/s3-creds (key 'accessKey'")
                .hasMessageContaining("ConfigMap team-a/artifact-repositories key 'default'")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aSecretWithoutTheKeyIsReported() {
        client.secrets()
                .inNamespace(NAMESPACE)
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("s3-creds")
                                .endMetadata()
                                .addToData("accessKey", base64(S3ProxyServer.ACCESS_KEY))
                                .build())
                .create();
        configMap(
                NAMESPACE,
                "artifact-repositories",
                "default",
                Map.of("default", s3Repository("from-configmap", "")));

        assertThatThrownBy(() -> resolver().resolve(WORKFLOW))
                .hasMessageContaining("Secret team-a/s3-creds (key 'secretKey'")
                .hasMessageContaining("has no such key")
                .hasMessageNotContaining(S3ProxyServer.ACCESS_KEY);
    }

    @Test
    void useSdkCredsTakesTheStandardEnvironmentCredentials() throws Exception {
        String hostPort = s3.endpoint().substring("http://".length());
        configMap(
                NAMESPACE,
                "artifact-repositories",
                "default",
                Map.of(
                        "default",
                        "s3: {endpoint: '"
                                + hostPort
                                + "', insecure: true, bucket: from-configmap, useSDKCreds: true}"));
        // minio's environment providers read system properties before the environment.
        System.setProperty("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        System.setProperty("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        try {
            assertThat(download(resolver(), greeting())).isEqualTo("hello from configmap");
        } finally {
            System.clearProperty("AWS_ACCESS_KEY_ID");
            System.clearProperty("AWS_SECRET_ACCESS_KEY");
        }
    }

    @Test
    void nonS3RepositoriesAreNamedAsUnsupported() {
        configMap(
                NAMESPACE,
                "artifact-repositories",
                "gcs",
                Map.of("gcs", "gcs: {bucket: my-bucket, keyFormat: x}"));

        assertThatThrownBy(() -> resolver().resolve(WORKFLOW))
                .isInstanceOf(UnsupportedArtifactException.class)
                .hasMessageContaining("ConfigMap team-a/artifact-repositories key 'gcs'")
                .hasMessageContaining("is of type gcs");
    }

    @Test
    void resolutionsAreReusedUntilTheirTimeIsUp() {
        secret(NAMESPACE);
        configMap(
                NAMESPACE,
                "artifact-repositories",
                "default",
                Map.of("default", s3Repository("first", "")));
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-01-01T00:00:00Z"));
        Clock clock =
                new Clock() {
                    @Override
                    public java.time.ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        return now.get();
                    }
                };
        KubernetesRepositoryResolver resolver =
                KubernetesRepositoryResolver.builder(client)
                        .cacheTtl(Duration.ofSeconds(30))
                        .clock(clock)
                        .build();
        assertThat(resolver.resolve(WORKFLOW).repository().description()).contains("'first'");

        client.configMaps()
                .inNamespace(NAMESPACE)
                .withName("artifact-repositories")
                .edit(
                        cm ->
                                new ConfigMapBuilder(cm)
                                        .addToData("default", s3Repository("second", ""))
                                        .build());
        now.set(now.get().plusSeconds(29));
        assertThat(resolver.resolve(WORKFLOW).repository().description()).contains("'first'");

        now.set(now.get().plusSeconds(2));
        assertThat(resolver.resolve(WORKFLOW).repository().description()).contains("'second'");
    }

    @Test
    void anArtifactWithItsOwnLocationUsesItsOwnSecrets() throws Exception {
        secret(NAMESPACE);
        S3Location own =
                S3Location.builder()
                        .endpoint(s3.endpoint().substring("http://".length()))
                        .insecure(true)
                        .bucket("explicit")
                        .key("own/greeting.txt")
                        .accessKeySecret(new SecretKeyRef("s3-creds", "accessKey"))
                        .secretKeySecret(new SecretKeyRef("s3-creds", "secretKey"))
                        .build();
        ArtifactSpec spec =
                new ArtifactSpec(
                        "greeting",
                        "/in/greeting",
                        false,
                        ArchiveStrategy.DEFAULT,
                        new ArtifactSource.S3(own));

        assertThat(download(resolver(), spec)).isEqualTo("hello from explicit");
    }

    @Test
    void noSecretValueAppearsInResolvedObjects() {
        secret(NAMESPACE);
        configMap(
                NAMESPACE,
                "artifact-repositories",
                "default",
                Map.of("default", s3Repository("from-configmap", "")));

        ResolvedRepository resolved = resolver().resolve(WORKFLOW);

        assertThat(resolved.toString())
                .doesNotContain(S3ProxyServer.SECRET_KEY)
                .doesNotContain(S3ProxyServer.ACCESS_KEY);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
