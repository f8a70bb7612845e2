package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.cli.RunCommandTest.Result;
import io.argowasm.dryrun.DryRunCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** WASI command modules through {@code run} and {@code dry-run}. */
class WasiCommandCliTest {

    private static final String PROBE = TestModules.test("wasi-probe").toString();

    @TempDir Path dir;

    private Path template(String yaml) throws IOException {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private String probe(String args, String extra) {
        return """
        name: probe
        inputs:
          parameters:
            - name: text
              value: Hello World
        %s
        plugin:
          wasm:
            module:
              file: %s
            args: %s
        """
                .formatted(extra, PROBE, args);
    }

    static String parameter(JsonNode reply, String name) {
        for (JsonNode p : reply.at("/node/outputs/parameters")) {
            if (p.get("name").asString().equals(name)) {
                return p.get("value").asString();
            }
        }
        throw new AssertionError("no output parameter " + name + " in " + reply);
    }

    @Test
    void runGivesAStdioCommandItsPayloadArgsAndEnv() throws Exception {
        Path file = template(probe("[stdio, '--flag']", "") + "    env: {GREETING: moin}\n");
        Result result = RunCommandTest.run("run", "--template", file.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(parameter(result.reply(), "args")).isEqualTo("probe stdio --flag");
        assertThat(parameter(result.reply(), "greeting")).isEqualTo("moin");
    }

    @Test
    void runExitsWithOneWhenTheCommandExitsNonZero() throws Exception {
        Result result =
                RunCommandTest.run(
                        "run", "--template", template(probe("[exit, '7']", "")).toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.reply().at("/node/message").asString())
                .contains("exited with code 7")
                .contains("giving up with code 7");
    }

    @Test
    void runFailsACommandThatFillsItsFilesPastTheFlagsBudget() throws Exception {
        Result result =
                RunCommandTest.run(
                        "run",
                        "--template",
                        template(probe("[fill, '3', /work/scratch]", "")).toString(),
                        "--max-guest-files",
                        "1Mi");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.reply().at("/node/message").asString())
                .contains("budget of 1.0 MiB (--max-guest-files)");
    }

    /** A tar.gz of a.txt, a link to it inside the archive, and nothing else. */
    private Path archiveWithLink(String linkTarget) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            byte[] content = "inside the archive\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry file = new TarArchiveEntry("a.txt");
            file.setSize(content.length);
            tar.putArchiveEntry(file);
            tar.write(content);
            tar.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("link", TarConstants.LF_SYMLINK);
            link.setLinkName(linkTarget);
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        Path archive = dir.resolve("tree.tgz");
        Files.write(archive, bytes.toByteArray());
        return archive;
    }

    @Test
    void aSymbolicLinkInTheInputAreaShowsNothing() throws Exception {
        Path archive = archiveWithLink("a.txt");
        String inputs =
                """
                  artifacts:
                    - name: tree
                      path: /tree
                """;
        Path file =
                template(
                        probe(
                                        "[read, /work/artifacts-in/tree/a.txt,"
                                                + " /work/artifacts-in/tree/link]",
                                        "")
                                .replace("inputs:\n", "inputs:\n" + inputs));
        Result result =
                RunCommandTest.run(
                        "run", "--template", file.toString(), "--artifact", "tree=" + archive);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(parameter(result.reply(), "/work/artifacts-in/tree/a.txt"))
                .isEqualTo("ok:inside the archive");
        assertThat(parameter(result.reply(), "/work/artifacts-in/tree/link"))
                .isEqualTo("err:No such file or directory");
    }

    @Test
    void aLinkOutOfTheInputAreaIsRefusedBeforeTheCommandRuns() throws Exception {
        Path archive = archiveWithLink("/etc/passwd");
        String inputs =
                """
                  artifacts:
                    - name: tree
                      path: /tree
                """;
        Path file =
                template(
                        probe("[read, /work/artifacts-in/tree/link]", "")
                                .replace("inputs:\n", "inputs:\n" + inputs));
        Result result =
                RunCommandTest.run(
                        "run", "--template", file.toString(), "--artifact", "tree=" + archive);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.reply().at("/node/message").asString()).contains("link");
        assertThat(result.out()).doesNotContain("root:");
    }

    @Test
    void runTakesTheFileContractsArtifactsFromTheirAreas() throws Exception {
        Path input = dir.resolve("in.txt");
        Files.writeString(input, "copied through the sandbox");
        String artifacts =
                """
                  artifacts:
                    - name: in
                      path: /data/in.txt
                """;
        String outputs =
                """
                outputs:
                  artifacts:
                    - name: out
                      path: /results/out.txt
                      archive: {none: {}}
                """;
        Path file =
                template(
                        probe("[files, data/in.txt, results/out.txt]", outputs)
                                .replace("inputs:\n", "inputs:\n" + artifacts));
        Path written = dir.resolve("outputs");
        Result result =
                RunCommandTest.run(
                        "run",
                        "--template",
                        file.toString(),
                        "--artifact",
                        "in=" + input,
                        "--output-dir",
                        written.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Files.readString(written.resolve("out")))
                .isEqualTo("copied through the sandbox");
        JsonNode invocation = Json.mapper().readTree(parameter(result.reply(), "input"));
        assertThat(invocation.at("/artifacts/0/name").asString()).isEqualTo("in");
        assertThat(invocation.at("/artifacts/0/path").asString()).isEqualTo("/data/in.txt");
    }

    @Test
    void dryRunRunsTheEarlierPluginsReadmeWorkflowWithOnlyItsModuleSourceChanged() {
        DryRunCli.Result result =
                DryRunCli.run("../examples/workflows/ferris-says.yaml", "-o", "json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("< Hello World >").contains("_~^~^~_");
    }

    @Test
    void dryRunGivesAStepHttpToAnOriginItsTemplateAllows() throws Exception {
        HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext(
                "/",
                exchange -> {
                    byte[] body = "served".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        web.start();
        try {
            String origin = "http://127.0.0.1:" + web.getAddress().getPort();
            String workflow =
                    """
                    apiVersion: argoproj.io/v1alpha1
                    kind: Workflow
                    metadata:
                      generateName: http-
                    spec:
                      entrypoint: get
                      templates:
                        - name: get
                          plugin:
                            wasm:
                              module:
                                file: %s
                              args: [http, %s/x]
                              permissions:
                                http:
                                  allowed_hosts: [%s]
                    """
                            .formatted(PROBE, origin, origin);
            DryRunCli.Result allowed = DryRunCli.runYaml(dir, workflow);
            assertThat(allowed.exitCode()).as(allowed.err()).isZero();
            assertThat(allowed.out()).contains("\"value\" : \"served\"");
            DryRunCli.Result refused =
                    DryRunCli.runYaml(dir, workflow, "--no-allow-private-module-hosts");
            assertThat(refused.out())
                    .doesNotContain("\"value\" : \"served\"")
                    .contains("\"value\" : \"7\""); // destination_not_allowed
        } finally {
            web.stop(0);
        }
    }
}
