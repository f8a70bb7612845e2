package io.argowasm.module.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.cli.Main;
import io.argowasm.metrics.PluginMetrics;
import io.argowasm.metrics.PrometheusText;
import io.argowasm.module.Digests;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleLoadException;
import io.argowasm.module.ModuleRef;
import io.argowasm.module.ModuleSourcePolicy;
import io.argowasm.module.ModuleStore;
import io.argowasm.wapc.WapcModule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Push and pull against a real registry: Debian's docker-registry on loopback. */
class OciRegistryTest {

    private static final long MAX = 64L << 20;

    @TempDir static Path dir;
    private static LocalRegistry registry;
    private static byte[] greet;

    record Result(int exitCode, String out, String err) {}

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(LocalRegistry.available(), "docker-registry is not installed");
        registry = LocalRegistry.start(Files.createDirectories(dir.resolve("open")), false);
        greet = TestModules.bytes(TestModules.example("greet/greet"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static ModuleStore store(String address, RegistryCredentials credentials) {
        RegistryClient client =
                new RegistryClient(
                        ModuleSourcePolicy.local(),
                        Set.of(address),
                        credentials,
                        Duration.ofSeconds(30));
        return new ModuleStore(
                new ModuleFetcher(
                        MAX,
                        Duration.ofSeconds(30),
                        ModuleSourcePolicy.local(),
                        new OciModules(client, MAX, null)),
                MAX,
                8);
    }

    private static WapcModule pull(String reference, String sha256) throws Exception {
        return store(registry.address(), RegistryCredentials.none())
                .load(ModuleRef.ofOci(OciReference.parse(reference), sha256));
    }

    private String pushGreet(String repository) throws Exception {
        Path file = dir.resolve("greet.wasm");
        Files.write(file, greet);
        String ref = registry.address() + "/" + repository;
        Result pushed =
                cli(
                        "push",
                        file.toString(),
                        ref,
                        "--allow-insecure-registries",
                        registry.address());
        assertThat(pushed.exitCode()).as(pushed.err()).isZero();
        assertThat(pushed.out())
                .contains("pushed " + ref)
                .contains("module:\n  oci: " + ref + "@sha256:")
                .contains("  sha256: " + Digests.sha256(greet));
        String digest =
                pushed.out()
                        .lines()
                        .filter(l -> l.startsWith("digest: "))
                        .findFirst()
                        .orElseThrow()
                        .substring("digest: ".length());
        assertThat(digest).matches("sha256:[0-9a-f]{64}");
        return digest;
    }

    @Test
    void pushThenPullByTagAndByDigest() throws Exception {
        String digest = pushGreet("team/greet:v1");
        WapcModule byTag = pull(registry.address() + "/team/greet:v1", Digests.sha256(greet));
        assertThat(byTag.digest()).isEqualTo(Digests.sha256(greet));
        WapcModule byDigest = pull(registry.address() + "/team/greet@" + digest, null);
        assertThat(byDigest.digest()).isEqualTo(Digests.sha256(greet));
    }

    @Test
    void pullsAreCountedAsOciFetchesAndLaterLoadsAsCacheHits() throws Exception {
        pushGreet("team/counted:v1");
        ModuleStore store = store(registry.address(), RegistryCredentials.none());
        PluginMetrics metrics = new PluginMetrics("test", "test");
        store.recordTo(metrics);
        ModuleRef ref =
                ModuleRef.ofOci(
                        OciReference.parse(registry.address() + "/team/counted:v1"),
                        Digests.sha256(greet));
        store.load(ref);
        store.load(ref);
        assertThatThrownBy(
                        () ->
                                store.load(
                                        ModuleRef.ofOci(
                                                OciReference.parse(
                                                        registry.address() + "/team/absent:v1"),
                                                null)))
                .isInstanceOf(ModuleLoadException.class);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        PrometheusText text = PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
        assertThat(
                        text.value(
                                "wasm_executor_module_fetches_total",
                                "source",
                                "oci",
                                "result",
                                "ok"))
                .isEqualTo(1);
        assertThat(
                        text.value(
                                "wasm_executor_module_fetches_total",
                                "source",
                                "oci",
                                "result",
                                "error"))
                .isEqualTo(1);
        assertThat(text.value("wasm_executor_module_cache_requests_total", "result", "hit"))
                .isEqualTo(1);
        assertThat(text.value("wasm_executor_stage_duration_seconds_count", "stage", "fetch"))
                .isEqualTo(1);
    }

    @Test
    void aWrongPinNamesBothDigestsAndTheManifest() throws Exception {
        String digest = pushGreet("team/pinned:v1");
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> pull(registry.address() + "/team/pinned:v1", wrong))
                .hasMessageContaining("does not match its pinned sha256")
                .hasMessageContaining(wrong)
                .hasMessageContaining(Digests.sha256(greet))
                .hasMessageContaining(digest);
    }

    @Test
    void aManifestDigestThatIsNotThereIsAMissingManifest() throws Exception {
        pushGreet("team/digested:v1");
        String absent = "sha256:" + "1".repeat(64);
        assertThatThrownBy(() -> pull(registry.address() + "/team/digested@" + absent, null))
                .hasMessageContaining("no manifest " + absent);
    }

    @Test
    void aMissingTagOrRepositoryIsNamed() throws Exception {
        pushGreet("team/tagged:v1");
        assertThatThrownBy(() -> pull(registry.address() + "/team/tagged:v2", null))
                .hasMessageContaining("no manifest v2 in repository team/tagged")
                .hasMessageContaining("MANIFEST_UNKNOWN");
        assertThatThrownBy(() -> pull(registry.address() + "/team/nothing:v1", null))
                .hasMessageContaining("no manifest v1 in repository team/nothing");
    }

    @Test
    void theCncfLayoutAndAnIndexArePulled() throws Exception {
        String manifest =
                RawPush.module(registry.address(), "team/cncf", "v1", "application/wasm", greet);
        assertThat(pull(registry.address() + "/team/cncf:v1", null).digest())
                .isEqualTo(Digests.sha256(greet));
        RawPush.index(registry.address(), "team/cncf", "multi", manifest, greet.length);
        assertThat(pull(registry.address() + "/team/cncf:multi", Digests.sha256(greet)).digest())
                .isEqualTo(Digests.sha256(greet));
    }

    @Test
    void aComponentOrAnotherLayerTypeIsRefusedSayingWhatItIs() throws Exception {
        byte[] component = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x01, 0x02};
        RawPush.module(registry.address(), "team/component", "v1", "application/wasm", component);
        assertThatThrownBy(() -> pull(registry.address() + "/team/component:v1", null))
                .hasMessageContaining("is a WebAssembly component (component model)")
                .hasMessageContaining("layer sha256:");
        RawPush.module(
                registry.address(),
                "team/tarball",
                "v1",
                "application/vnd.oci.image.layer.v1.tar+gzip",
                greet);
        assertThatThrownBy(() -> pull(registry.address() + "/team/tarball:v1", null))
                .hasMessageContaining("no WebAssembly layer")
                .hasMessageContaining("found: application/vnd.oci.image.layer.v1.tar+gzip");
        Path file = Files.write(dir.resolve("component.wasm"), component);
        Result push =
                cli(
                        "push",
                        file.toString(),
                        registry.address() + "/team/c:v1",
                        "--allow-insecure-registries",
                        registry.address());
        assertThat(push.exitCode()).isEqualTo(1);
        assertThat(push.err()).contains("is not a WebAssembly core module");
    }

    @Test
    void plainHttpNeedsTheInsecureRegistryFlag() throws Exception {
        pushGreet("team/secure:v1");
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(MAX, Duration.ofSeconds(30), ModuleSourcePolicy.local()),
                        MAX,
                        8);
        // Without the flag the registry is reached over https, which it does not speak.
        assertThatThrownBy(
                        () ->
                                store.load(
                                        ModuleRef.ofOci(
                                                OciReference.parse(
                                                        registry.address() + "/team/secure:v1"),
                                                null)))
                .hasMessageContaining("--allow-insecure-registries");
    }

    @Test
    void basicAuthWithALoginFromTheRegistryConfigOrStdin() throws Exception {
        try (LocalRegistry locked =
                LocalRegistry.start(Files.createDirectories(dir.resolve("locked")), true)) {
            Path file = Files.write(dir.resolve("greet.wasm"), greet);
            String ref = locked.address() + "/team/private:v1";
            InputStream stdin = System.in;
            Result pushed;
            try {
                System.setIn(new ByteArrayInputStream("s3cret\n".getBytes(StandardCharsets.UTF_8)));
                pushed =
                        cli(
                                "push",
                                file.toString(),
                                ref,
                                "--username",
                                "tester",
                                "--password-stdin",
                                "--allow-insecure-registries",
                                locked.address());
            } finally {
                System.setIn(stdin);
            }
            assertThat(pushed.exitCode()).as(pushed.err()).isZero();

            OciReference reference = OciReference.parse(ref);
            assertThatThrownBy(
                            () ->
                                    store(locked.address(), RegistryCredentials.none())
                                            .load(ModuleRef.ofOci(reference, null)))
                    .hasMessageContaining("needs a login and none is configured");
            RegistryCredentials wrong =
                    RegistryCredentials.of(
                            locked.address(), new RegistryCredentials.Login("tester", "wrong"));
            assertThatThrownBy(
                            () ->
                                    store(locked.address(), wrong)
                                            .load(ModuleRef.ofOci(reference, null)))
                    .hasMessageContaining("refused the login (HTTP 401)");

            String auth =
                    Base64.getEncoder()
                            .encodeToString("tester:s3cret".getBytes(StandardCharsets.UTF_8));
            Path config =
                    Files.writeString(
                            dir.resolve("config.json"),
                            "{\"auths\": {\"http://%s\": {\"auth\": \"%s\"}}}"
                                    .formatted(locked.address(), auth));
            assertThat(
                            store(locked.address(), RegistryCredentials.read(config))
                                    .load(ModuleRef.ofOci(reference, null))
                                    .digest())
                    .isEqualTo(Digests.sha256(greet));
        }
    }

    @Test
    void runsATemplateWhoseModuleIsInARegistry() throws Exception {
        String digest = pushGreet("team/run:v1");
        Path template = dir.resolve("oci-greet.yaml");
        Files.writeString(
                template,
                """
                name: greet
                inputs:
                  parameters:
                    - name: text
                      default: from a registry
                outputs:
                  parameters:
                    - name: greeting
                plugin:
                  wasm:
                    module:
                      oci: %s/team/run:v1
                      sha256: %s
                    operation: greet
                    options: {style: loud}
                """
                        .formatted(registry.address(), Digests.sha256(greet)));
        Result result =
                cli(
                        "run",
                        "--template",
                        template.toString(),
                        "--allow-insecure-registries",
                        registry.address());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(
                        Json.mapper()
                                .readTree(result.out())
                                .at("/node/outputs/parameters/0/value")
                                .asString())
                .isEqualTo("FROM A REGISTRY");

        Files.writeString(
                template,
                Files.readString(template).replace(Digests.sha256(greet), "0".repeat(64)));
        Result wrong =
                cli(
                        "run",
                        "--template",
                        template.toString(),
                        "--allow-insecure-registries",
                        registry.address());
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.out() + wrong.err()).contains(digest).contains("pinned sha256");
    }

    /** Pushes artifacts in layouts other than push's, straight through the registry API. */
    static final class RawPush {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        static String blob(String address, String repository, byte[] bytes) throws Exception {
            HttpResponse<Void> start =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://%s/v2/%s/blobs/uploads/"
                                                            .formatted(address, repository)))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            assertThat(start.statusCode()).isEqualTo(202);
            URI location =
                    start.uri().resolve(start.headers().firstValue("location").orElseThrow());
            String digest = "sha256:" + Digests.sha256(bytes);
            HttpResponse<Void> done =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    location
                                                            + (location.getQuery() == null
                                                                    ? "?"
                                                                    : "&")
                                                            + "digest="
                                                            + digest))
                                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            assertThat(done.statusCode()).isEqualTo(201);
            return digest;
        }

        static String manifest(
                String address, String repository, String tag, String type, String json)
                throws Exception {
            HttpResponse<String> put =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://%s/v2/%s/manifests/%s"
                                                            .formatted(address, repository, tag)))
                                    .header("Content-Type", type)
                                    .PUT(HttpRequest.BodyPublishers.ofString(json))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            return "sha256:" + Digests.sha256(json.getBytes(StandardCharsets.UTF_8));
        }

        /** A CNCF-style manifest with one layer of the given type. */
        static String module(
                String address, String repository, String tag, String layerType, byte[] bytes)
                throws Exception {
            byte[] config =
                    "{\"architecture\":\"wasm\",\"os\":\"wasip1\"}"
                            .getBytes(StandardCharsets.UTF_8);
            String configDigest = blob(address, repository, config);
            String layerDigest = blob(address, repository, bytes);
            String json =
                    """
                    {"schemaVersion":2,"mediaType":"%s",\
                    "config":{"mediaType":"application/vnd.wasm.config.v0+json","digest":"%s","size":%d},\
                    "layers":[{"mediaType":"%s","digest":"%s","size":%d}]}\
                    """
                            .formatted(
                                    MediaTypes.OCI_MANIFEST,
                                    configDigest,
                                    config.length,
                                    layerType,
                                    layerDigest,
                                    bytes.length);
            return manifest(address, repository, tag, MediaTypes.OCI_MANIFEST, json);
        }

        /** An index with a linux entry and the wasm manifest. */
        static void index(String address, String repository, String tag, String manifest, long size)
                throws Exception {
            String json =
                    """
                    {"schemaVersion":2,"mediaType":"%s","manifests":[\
                    {"mediaType":"%s","digest":"%s","size":%d,\
                    "platform":{"architecture":"amd64","os":"linux"}},\
                    {"mediaType":"%s","digest":"%s","size":%d,\
                    "platform":{"architecture":"wasm","os":"wasip1"}}]}\
                    """
                            .formatted(
                                    MediaTypes.OCI_INDEX,
                                    MediaTypes.OCI_MANIFEST,
                                    manifest,
                                    size,
                                    MediaTypes.OCI_MANIFEST,
                                    manifest,
                                    size);
            manifest(address, repository, tag, MediaTypes.OCI_INDEX, json);
        }
    }
}
