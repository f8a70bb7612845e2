package io.argowasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Without an OpenTelemetry endpoint, a sidecar that served a step loaded no OpenTelemetry class.
 */
class NoTracingLoadedTest {

    @TempDir Path dir;

    @Test
    void aSidecarWithoutAnEndpointLoadsNothingOfOpenTelemetry() throws Exception {
        Path classes = dir.resolve("classes.log");
        Path modules = Files.createDirectories(dir.resolve("modules"));
        Files.copy(TestModules.test("conformance"), modules.resolve("conformance.wasm"));
        ObjectNode body =
                (ObjectNode)
                        Json.mapper()
                                .readTree(
                                        Files.readString(
                                                TestModules.argoFixture("wasm-parameters.json")));
        ObjectNode wasm = (ObjectNode) body.get("template").get("plugin").get("wasm");
        wasm.putObject("module").put("file", modules.resolve("conformance.wasm").toString());
        wasm.put("operation", "echo");
        ((ObjectNode) body.get("template")).putObject("outputs");

        try (SidecarProcess sidecar =
                SidecarProcess.start(
                        List.of("-Xlog:class+load=info:file=" + classes),
                        List.of("--no-auth", "--module-dir", modules.toString()),
                        Map.of(),
                        dir.resolve("sidecar.log"))) {
            AgentClient agent = new AgentClient(sidecar.port(), null);
            assertThat(agent.execute(body, Duration.ofMinutes(1)).at("/phase").asString())
                    .isEqualTo("Succeeded");
            assertThat(agent.healthz()).isEqualTo(200);
        }

        String loaded = Files.readString(classes);
        assertThat(loaded).contains("io.argowasm.exec.WasmStep");
        assertThat(loaded.lines().filter(l -> l.contains("io.opentelemetry")).toList()).isEmpty();
    }
}
