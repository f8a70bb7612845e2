package io.argowasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** SIGTERM while a step runs, as Kubernetes stops an agent pod. */
class ShutdownTest {

    @TempDir Path dir;

    @Test
    void aCallWaitingAtSigtermIsAnsweredFailedNotDropped() throws Exception {
        Path modules = Files.createDirectories(dir.resolve("modules"));
        Files.copy(TestModules.test("conformance"), modules.resolve("conformance.wasm"));
        JsonNode body =
                Json.mapper()
                        .readTree(
                                """
                                {"workflow":{"metadata":{"name":"wf","namespace":"argo","uid":"u1"}},
                                 "template":{"name":"slow","inputs":{},"outputs":{},"metadata":{},
                                  "plugin":{"wasm":{"module":{"file":"%s"},"operation":"wait-ms",
                                                    "options":{"ms":60000}}}}}
                                """
                                        .formatted(modules.resolve("conformance.wasm")));
        SidecarProcess sidecar =
                SidecarProcess.start(
                        List.of(),
                        List.of(
                                "--no-auth",
                                "--module-dir",
                                modules.toString(),
                                "--reply-within",
                                "25s",
                                "--shutdown-grace",
                                "1s"),
                        Map.of(),
                        dir.resolve("sidecar.log"));
        AgentClient agent = new AgentClient(sidecar.port(), null);
        CompletableFuture<JsonNode> reply =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return agent.call(body);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        Thread.sleep(2000);
        sidecar.close();
        JsonNode node = reply.get(30, TimeUnit.SECONDS).get("node");
        assertThat(node.get("phase").asString()).isEqualTo("Failed");
        assertThat(node.get("message").asString()).contains("shut down while it ran");
    }
}
