package io.argowasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A sidecar JVM started with {@code --guest-logs artifact} and an S3 repository (S3Proxy) stores
 * the guest output of a succeeding and of a failing step in the bucket and lists it in the replies,
 * as Argo's agent receives them; a template saying {@code logs: log} stores nothing.
 */
class GuestLogsInS3Test {

    private static final String BUCKET = "logs";
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @TempDir Path dir;

    @Test
    void theSidecarStoresEachStepsGuestOutputInTheBucketAndListsIt() throws Exception {
        try (InProcessS3 s3 = InProcessS3.start()) {
            s3.createBucket(BUCKET);
            try (SidecarProcess sidecar =
                    SidecarProcess.start(
                            List.of("-Djava.io.tmpdir=" + dir),
                            List.of(
                                    "--no-auth",
                                    "--s3-endpoint",
                                    s3.hostPort(),
                                    "--s3-bucket",
                                    BUCKET,
                                    "--s3-insecure",
                                    "--guest-logs",
                                    "artifact",
                                    "--module-dir",
                                    TestModules.test("conformance").getParent().toString()),
                            Map.of(
                                    "AWS_ACCESS_KEY_ID", InProcessS3.ACCESS_KEY,
                                    "AWS_SECRET_ACCESS_KEY", InProcessS3.SECRET_KEY),
                            dir.resolve("sidecar.log"))) {
                AgentClient agent = new AgentClient(sidecar.port(), null);

                JsonNode succeeded = agent.execute(request("w1", "chatty", "run", ""), PATIENCE);
                assertThat(succeeded.path("phase").asString())
                        .as("%s%n%s", succeeded, sidecar.logTail())
                        .isEqualTo("Succeeded");
                JsonNode logs = succeeded.at("/outputs/artifacts/0");
                assertThat(logs.path("name").asString()).isEqualTo("guest-logs");
                assertThat(logs.has("archive") && logs.path("archive").has("none")).isTrue();
                String key = logs.at("/s3/key").asString();
                assertThat(key).startsWith("logs-w1/logs-w1-wasm-").endsWith("/guest-logs");
                assertThat(new String(s3.get(BUCKET, key), StandardCharsets.UTF_8))
                        .isEqualTo("hello from the guest\nsecond line\n");

                JsonNode failed = agent.execute(request("w2", "conformance", "log", ""), PATIENCE);
                assertThat(failed.path("phase").asString()).isEqualTo("Failed");
                assertThat(failed.path("message").asString()).contains("logged and failed");
                String failedKey = failed.at("/outputs/artifacts/0/s3/key").asString();
                assertThat(new String(s3.get(BUCKET, failedKey), StandardCharsets.UTF_8))
                        .isEqualTo(
                                "console line 1\nconsole line 2\nconsole line 3\nstdout line\n"
                                        + "stderr line\n");

                JsonNode optedOut =
                        agent.execute(
                                request("w3", "chatty", "run", ",\"logs\":\"log\""), PATIENCE);
                assertThat(optedOut.path("phase").asString()).isEqualTo("Succeeded");
                assertThat(optedOut.at("/outputs/artifacts").isMissingNode()).isTrue();
            }
        }
    }

    private static JsonNode request(
            String workflow, String module, String operation, String extra) {
        String body =
                """
                {"workflow":{"metadata":{"name":"logs-%s","namespace":"argo","uid":"uid-%s"}},
                 "template":{"name":"talk","inputs":{},"outputs":{},"metadata":{},
                  "plugin":{"wasm":{"module":{"file":"%s"},"operation":"%s"%s}}}}
                """
                        .formatted(workflow, workflow, TestModules.test(module), operation, extra);
        return Json.mapper().readTree(body);
    }
}
