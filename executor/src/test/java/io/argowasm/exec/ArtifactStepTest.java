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
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steps that read and write artifacts through the {@code artifacts} host calls. */
class ArtifactStepTest {

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
                        .build();
        executor = TemplateExecutor.builder(Json.mapper(), modules).artifacts(workspaces).build();
    }

    @AfterEach
    void stop() {
        executor.close();
    }

    static ExecuteTemplateArgs wordcount(String inputs, String outputs) {
        return args(
                TestModules.example("wordcount/wordcount"),
                "run",
                "{\"parameters\":[{\"name\":\"min-length\",\"value\":\"4\"}],\"artifacts\":"
                        + inputs
                        + "}",
                outputs);
    }

    static ExecuteTemplateArgs args(Path module, String operation, String inputs, String outputs) {
        String body =
                """
                {"workflow":{"metadata":{"name":"etl-7x2kq","namespace":"argo","uid":"5b1a3c44"}},
                 "template":{"name":"count-words","inputs":%s,"outputs":%s,"metadata":{},
                  "plugin":{"wasm":{"module":{"file":"%s"},"operation":"%s"}}}}
                """
                        .formatted(inputs, outputs, module, operation);
        return Json.mapper().readValue(body, ExecuteTemplateArgs.class);
    }

    private void store(String key, String content) throws Exception {
        Path object = repository.resolve(key);
        Files.createDirectories(object.getParent());
        Files.writeString(object, content);
    }

    @Test
    void aGuestStreamsAnInputArtifactAndWritesOutputArtifactsAndAParameter() throws Exception {
        store("etl/text.txt", "the quick brown fox\njumps over the lazy dog\n");
        ExecuteTemplateReply reply =
                executor.execute(
                        wordcount(
                                "[{\"name\":\"text\",\"path\":\"/in/text\",\"archive\":{\"none\":{}},"
                                    + "\"s3\":{\"key\":\"etl/text.txt\"}}]",
                                "{\"parameters\":[{\"name\":\"total\"}],\"artifacts\":["
                                    + "{\"name\":\"counts\",\"path\":\"/out/counts.json\"},"
                                    + "{\"name\":\"report\",\"path\":\"/out/report.txt\",\"archive\":{\"none\":{}}}]}"));
        assertThat(reply.node().phase()).as(reply.node().message()).isEqualTo(NodePhase.Succeeded);
        assertThat(reply.node().outputs().parameters().get(0).value()).isEqualTo("5");
        Artifact counts = reply.node().outputs().artifacts().get(0);
        Artifact report = reply.node().outputs().artifacts().get(1);
        assertThat(counts.getName()).isEqualTo("counts");
        assertThat(counts.getPath()).isEqualTo("/out/counts.json");
        String countsKey = counts.field("s3").get("key").asString();
        assertThat(countsKey).startsWith("etl-7x2kq/etl-7x2kq-wasm-").endsWith("/counts.tgz");
        assertThat(gunzipped(repository.resolve(countsKey)))
                .contains("{\"words\":5,\"lines\":2,\"bytes\":44}");
        String reportKey = report.field("s3").get("key").asString();
        assertThat(reportKey).endsWith("/report");
        assertThat(Files.readString(repository.resolve(reportKey))).contains("5 words");
        assertThat(report.field("archive")).isNotNull();
        try (var left = Files.list(scratch)) {
            assertThat(left).as("the workspace is deleted after the step").isEmpty();
        }
    }

    /** A greet step whose module is the input artifact "module" with this location. */
    private static ExecuteTemplateArgs greetFromArtifact(String location) {
        String body =
                """
                {"workflow":{"metadata":{"name":"build-9","namespace":"argo","uid":"b9"}},
                 "template":{"name":"greet-%d",
                  "inputs":{"parameters":[{"name":"text","value":"built"}],
                            "artifacts":[{"name":"module",%s}]},
                  "outputs":{"parameters":[{"name":"greeting"}]},
                  "plugin":{"wasm":{"module":{"artifact":"module"},"operation":"greet"}}}}
                """
                        .formatted(location.hashCode(), location);
        return Json.mapper().readValue(body, ExecuteTemplateArgs.class);
    }

    @Test
    void aRawArtifactCarriesTheModuleInBase64() throws Exception {
        String base64 =
                Base64.getMimeEncoder()
                        .encodeToString(TestModules.bytes(TestModules.example("greet/greet")));
        ExecuteTemplateReply reply =
                executor.execute(
                        greetFromArtifact(
                                "\"raw\":{\"data\":\"%s\"}"
                                        .formatted(base64.replace("\r\n", "\\n"))));
        assertThat(reply.node().phase()).as(reply.node().message()).isEqualTo(NodePhase.Succeeded);
        assertThat(reply.node().outputs().parameters().get(0).value()).isEqualTo("built");

        ExecuteTemplateReply text =
                executor.execute(greetFromArtifact("\"raw\":{\"data\":\"(module)\"}"));
        assertThat(text.node().phase()).isEqualTo(NodePhase.Failed);
        assertThat(text.node().message())
                .contains("module artifact 'module' is a raw artifact whose data is not base64")
                .contains("base64 -w0");
    }

    @Test
    void aModuleArtifactTheTemplateDoesNotDeclareIsNamed() throws Exception {
        String body =
                """
                {"workflow":{"metadata":{"name":"build-9","namespace":"argo","uid":"b9"}},
                 "template":{"name":"undeclared","inputs":{"artifacts":[{"name":"text",
                   "raw":{"data":"x"}}]},
                  "plugin":{"wasm":{"module":{"artifact":"modul"}}}}}
                """;
        ExecuteTemplateReply reply =
                executor.execute(Json.mapper().readValue(body, ExecuteTemplateArgs.class));
        assertThat(reply.node().phase()).isEqualTo(NodePhase.Failed);
        assertThat(reply.node().message())
                .contains("plugin.wasm.module.artifact 'modul' is not one of the template's input")
                .contains("(text)");
    }

    @Test
    void anArchiveWithoutExactlyOneModuleIsRefusedListingItsFiles(@TempDir Path build)
            throws Exception {
        Files.writeString(build.resolve("a.wasm"), "a");
        Files.writeString(build.resolve("b.wasm"), "b");
        Path archive = repository.resolve("build/two.tgz");
        Files.createDirectories(archive.getParent());
        new ProcessBuilder(
                        "tar",
                        "-czf",
                        archive.toString(),
                        "-C",
                        build.toString(),
                        "a.wasm",
                        "b.wasm")
                .inheritIO()
                .start()
                .waitFor();
        ExecuteTemplateReply reply =
                executor.execute(greetFromArtifact("\"s3\":{\"key\":\"build/two.tgz\"}"));
        assertThat(reply.node().phase()).isEqualTo(NodePhase.Failed);
        assertThat(reply.node().message())
                .contains(
                        "module artifact 'module' is an archive of 2 files with 2 ending in .wasm")
                .contains("it must hold exactly one module");
    }

    @Test
    void anArtifactArtifactIoCannotReadFailsTheStepWithArtifactIosReason() {
        for (String artifact : List.of("\"text\"", "null", "{\"path\":\"/in/text\"}")) {
            ExecuteTemplateReply reply = executor.execute(wordcount("[" + artifact + "]", "{}"));

            assertThat(reply.node().phase()).as(artifact).isEqualTo(NodePhase.Failed);
            assertThat(reply.node().message())
                    .as(artifact)
                    .contains("invalid input artifact: artifact without a name");
        }
    }

    @Test
    void aMissingInputFailsTheStepNamingIt() {
        ExecuteTemplateReply reply =
                executor.execute(
                        wordcount(
                                "[{\"name\":\"text\",\"path\":\"/in/text\",\"s3\":{\"key\":\"nowhere/text.tgz\"}}]",
                                "{\"parameters\":[{\"name\":\"total\"}]}"));
        assertThat(reply.node().phase()).isEqualTo(NodePhase.Failed);
        assertThat(reply.node().message())
                .contains("'text'")
                .contains("nowhere/text.tgz")
                .as("the module never ran, so the message does not blame it")
                .doesNotStartWith("module ");
    }

    @Test
    void aDeclaredOutputTheGuestNeverWroteFailsTheStepNamingIt() throws Exception {
        store("in.txt", "a b c");
        ExecuteTemplateReply reply =
                executor.execute(
                        args(
                                TestModules.test("conformance"),
                                "counter",
                                "{\"artifacts\":[{\"name\":\"text\",\"path\":\"/in\",\"archive\":{\"none\":{}},\"s3\":{\"key\":\"in.txt\"}}]}",
                                "{\"artifacts\":[{\"name\":\"result\",\"path\":\"/out/result\"}]}"));
        assertThat(reply.node().phase()).isEqualTo(NodePhase.Failed);
        assertThat(reply.node().message()).contains("output artifact 'result' was not written");
    }

    @Test
    void onlyDeclaredArtifactsAreReachableAndInputsAreReadOnly() throws Exception {
        store("in.txt", "secret-free");
        String inputs =
                "{\"artifacts\":[{\"name\":\"text\",\"path\":\"/in\",\"archive\":{\"none\":{}},\"s3\":{\"key\":\"in.txt\"}}]}";
        assertThat(hostCall(inputs, "other", "read", "{\"offset\":0,\"length\":10}"))
                .containsEntry("ok", "false")
                .containsEntry(
                        "error", "no artifact named 'other' in this template; declared: text");
        assertThat(hostCall(inputs, "text", "write", "x"))
                .containsEntry("error", "artifact 'text' is an input: it can be read, not written");
        assertThat(hostCall(inputs, "text", "read", "{\"offset\":7,\"length\":100}"))
                .containsEntry("ok", "true")
                .containsEntry("response", "free");
        assertThat(hostCall(inputs, "text", "stat", "")).containsEntry("response", "{\"size\":11}");
        assertThat(hostCall(inputs, "text", "delete", ""))
                .containsEntry(
                        "error", "unknown artifacts operation 'delete'; use read, write or stat");
    }

    private Map<String, String> hostCall(
            String inputs, String namespace, String operation, String payload) {
        ExecuteTemplateArgs args = args(TestModules.test("conformance"), "host-call", inputs, "{}");
        args.template()
                .plugin()
                .put(
                        "wasm",
                        Json.mapper()
                                .readTree(
                                        "{\"module\":{\"file\":\"%s\"},\"operation\":\"host-call\",\"options\":{}}"
                                                .formatted(TestModules.test("conformance"))));
        // The conformance guest takes its host-call request from plugin.wasm.options.
        ((tools.jackson.databind.node.ObjectNode)
                        args.template().plugin().get("wasm").get("options"))
                .put("binding", "artifacts")
                .put("namespace", namespace)
                .put("operation", operation)
                .put("payload", payload);
        ExecuteTemplateReply reply = executor.execute(args);
        assertThat(reply.node().phase()).as(reply.node().message()).isEqualTo(NodePhase.Succeeded);
        Map<String, String> parameters = new HashMap<>();
        reply.node().outputs().parameters().forEach(p -> parameters.put(p.name(), p.value()));
        return parameters;
    }

    private static String gunzipped(Path tgz) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
