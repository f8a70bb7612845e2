package io.argowasm.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.exec.TemplateExecutor;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The log lines of finished steps and of guest output, as text and as Argo-style JSON. */
class StepLogLinesTest {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private TemplateExecutor executor;
    private Path module;

    @BeforeEach
    void start() {
        originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        module = TestModules.test("conformance");
        ModuleStore store =
                new ModuleStore(new ModuleFetcher(64L << 20, Duration.ofSeconds(10)), 64L << 20, 4);
        executor = TemplateExecutor.builder(Json.mapper(), store).build();
    }

    @AfterEach
    void stop() {
        executor.close();
        System.setErr(originalErr);
        LogSettings.format(LogSettings.Format.TEXT);
        LogSettings.threshold(Level.INFO);
    }

    private static ObjectNode fixture() throws Exception {
        return (ObjectNode)
                Json.mapper()
                        .readTree(
                                Files.readString(TestModules.argoFixture("wasm-parameters.json")));
    }

    private NodePhase run(String template, String operation) throws Exception {
        ObjectNode body = fixture();
        ObjectNode wasm = (ObjectNode) body.get("template").get("plugin").get("wasm");
        wasm.putObject("module").put("file", module.toAbsolutePath().toString());
        wasm.put("operation", operation);
        ((ObjectNode) body.get("template")).put("name", template).putObject("outputs");
        return execute(Json.mapper().treeToValue(body, ExecuteTemplateArgs.class), template);
    }

    private NodePhase execute(ExecuteTemplateArgs args, String template) throws Exception {
        NodePhase phase = executor.execute(args).node().phase();
        // The line is written as the result is published, which may be just after the reply.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!loggedFinished(template) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return phase;
    }

    private boolean loggedFinished(String template) {
        return captured.toString(StandardCharsets.UTF_8)
                .lines()
                .anyMatch(l -> l.contains("step finished") && l.contains(template));
    }

    private List<JsonNode> jsonLines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.mapper().readTree(line));
            }
        }
        return lines;
    }

    private static JsonNode finished(List<JsonNode> lines, String template) {
        return lines.stream()
                .filter(l -> l.path("msg").asString().equals("step finished"))
                .filter(l -> l.path("template").asString().equals(template))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no step finished line for " + template));
    }

    @Test
    void aFinishedStepIsOneJsonLineWithArgosKeys() throws Exception {
        LogSettings.format(LogSettings.Format.JSON);

        assertThat(run("greets", "echo")).isEqualTo(NodePhase.Succeeded);

        JsonNode line = finished(jsonLines(), "greets");
        assertThat(line.get("time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
        assertThat(line.get("level").asString()).isEqualTo("INFO");
        assertThat(line.get("namespace").asString()).isEqualTo("argo");
        assertThat(line.get("workflow").asString()).isEqualTo("hello-wasm-x7k2p");
        assertThat(line.get("workflowUID").asString())
                .isEqualTo("27c01e7c-9d93-450f-a001-c64d649aac99");
        assertThat(line.get("module").asString()).endsWith("conformance.wasm");
        assertThat(line.get("moduleSHA256").asString()).hasSize(64);
        assertThat(line.get("operation").asString()).isEqualTo("echo");
        assertThat(line.get("kind").asString()).isEqualTo("wapc");
        assertThat(line.get("phase").asString()).isEqualTo("Succeeded");
        assertThat(line.get("reason").asString()).isEqualTo("ok");
        assertThat(line.get("duration").asString()).matches("[0-9.]+(ns|µs|ms|s)");
    }

    @Test
    void aWasiCommandsLineSaysItsKindAndItsStderrIsGuestOutput() throws Exception {
        LogSettings.format(LogSettings.Format.JSON);
        module = TestModules.test("wasi-probe");
        ObjectNode body = fixture();
        ObjectNode wasm = (ObjectNode) body.get("template").get("plugin").get("wasm");
        wasm.remove("operation");
        wasm.remove("options");
        wasm.putObject("module").put("file", module.toAbsolutePath().toString());
        wasm.putArray("args").add("exit").add("4");
        ((ObjectNode) body.get("template")).put("name", "command").putObject("outputs");
        ExecuteTemplateArgs args = Json.mapper().treeToValue(body, ExecuteTemplateArgs.class);

        assertThat(execute(args, "command")).isEqualTo(NodePhase.Failed);

        List<JsonNode> lines = jsonLines();
        assertThat(
                        lines.stream()
                                .filter(l -> l.path("source").asString().equals("guest"))
                                .map(
                                        l ->
                                                l.get("stream").asString()
                                                        + ": "
                                                        + l.get("msg").asString()))
                .contains("stderr: first stderr line", "stderr: giving up with code 4");
        JsonNode line = finished(lines, "command");
        assertThat(line.get("kind").asString()).isEqualTo("wasi");
        assertThat(line.get("message").asString()).contains("exited with code 4");
    }

    @Test
    void guestOutputIsLoggedAsGuestEntriesAndTheFailureAsAWarning() throws Exception {
        LogSettings.format(LogSettings.Format.JSON);

        assertThat(run("logs", "log")).isEqualTo(NodePhase.Failed);

        List<JsonNode> lines = jsonLines();
        List<String> guest =
                lines.stream()
                        .filter(l -> l.path("source").asString().equals("guest"))
                        .map(l -> l.get("stream").asString() + ": " + l.get("msg").asString())
                        .toList();
        assertThat(guest)
                .contains("console: console line 1", "stdout: stdout line", "stderr: stderr line");
        JsonNode line = finished(lines, "logs");
        assertThat(line.get("level").asString()).isEqualTo("WARN");
        assertThat(line.get("reason").asString()).isEqualTo("guest_error");
        assertThat(line.get("message").asString()).contains("logged and failed");
    }

    @Test
    void textLinesCarryTheSameFields() throws Exception {
        run("greets", "echo");

        assertThat(captured.toString(StandardCharsets.UTF_8))
                .containsPattern(
                        "time=\\S+ level=INFO msg=\"step finished\" namespace=argo"
                                + " workflow=hello-wasm-x7k2p .* template=greets .*"
                                + " phase=Succeeded reason=ok duration=\\S+");
    }

    @Test
    void aHigherLevelLeavesOutSucceededSteps() throws Exception {
        LogSettings.threshold(Level.WARN);

        run("greets", "echo");
        run("fails", "fail");

        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("template=greets").contains("template=fails");
    }
}
