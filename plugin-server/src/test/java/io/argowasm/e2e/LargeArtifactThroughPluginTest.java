package io.argowasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.artifacts.s3.GeneratedContent;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A 1 GiB artifact through a sidecar JVM limited to a 256 MiB heap: staged from S3, streamed by the
 * conformance guest's {@code copy} operation through the {@code artifacts} host calls in 64 KiB
 * chunks, and uploaded again. Nothing may hold the artifact in memory. Prints the wall time, the
 * throughput and the sidecar's peak RSS. Run with {@code mvn -B -pl plugin-server -am verify
 * -Dgroups=large -Dtest=LargeArtifactThroughPluginTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("large")
class LargeArtifactThroughPluginTest {

    private static final long SIZE = 1L << 30;
    private static final String BUCKET = "large";
    private static final String INPUT_KEY = "seed/big.bin";
    private static final double MIB = 1 << 20;

    @TempDir Path dir;

    @Test
    void aGibibyteStreamsThroughAGuestInASidecarWithASmallHeap() throws Exception {
        try (InProcessS3 s3 = InProcessS3.start()) {
            s3.createBucket(BUCKET);
            GeneratedContent input = new GeneratedContent(SIZE, 0);
            s3.put(BUCKET, INPUT_KEY, input, SIZE);

            JsonNode node;
            double seconds;
            String peakRss;
            try (SidecarProcess sidecar =
                    SidecarProcess.start(
                            List.of("-Xmx256m", "-Djava.io.tmpdir=" + dir),
                            List.of(
                                    "--no-auth",
                                    "--s3-endpoint",
                                    s3.hostPort(),
                                    "--s3-bucket",
                                    BUCKET,
                                    "--s3-insecure",
                                    // 1 GiB in and 1 GiB out are on disk together.
                                    "--max-artifact-disk",
                                    "3Gi",
                                    "--module-dir",
                                    TestModules.test("conformance").getParent().toString()),
                            Map.of(
                                    "AWS_ACCESS_KEY_ID", InProcessS3.ACCESS_KEY,
                                    "AWS_SECRET_ACCESS_KEY", InProcessS3.SECRET_KEY),
                            dir.resolve("sidecar.log"))) {
                long start = System.nanoTime();
                node =
                        new AgentClient(sidecar.port(), null)
                                .execute(copyRequest(), Duration.ofMinutes(30));
                seconds = (System.nanoTime() - start) / 1e9;
                peakRss = sidecar.peakRss();
                assertThat(node.path("phase").asString())
                        .as("%s%nsidecar log:%n%s", node, sidecar.logTail())
                        .isEqualTo("Succeeded");
            }

            assertThat(node.at("/outputs/parameters/0/value").asString())
                    .isEqualTo(Long.toString(SIZE));
            JsonNode out = node.at("/outputs/artifacts/0");
            assertThat(out.path("name").asString()).isEqualTo("out");
            String key = out.at("/s3/key").asString();
            assertThat(key).endsWith("/out");
            assertThat(s3.size(BUCKET, key)).isEqualTo(SIZE);
            assertThat(crcOf(s3, key)).isEqualTo(input.crc());

            System.out.printf(
                    "1 GiB artifact through the sidecar (-Xmx256m): %.1f s from the first call to"
                            + " Succeeded, %.1f MiB/s (1 GiB in + 1 GiB out), sidecar peak RSS"
                            + " %s%n",
                    seconds, 2 * SIZE / MIB / seconds, peakRss);
        }
    }

    /** A template running {@code copy} from input {@code in} to output {@code out}, unarchived. */
    private static JsonNode copyRequest() {
        String body =
                """
                {"workflow":{"metadata":{"name":"large-copy","namespace":"argo","uid":"large-1"}},
                 "template":{"name":"copy",
                  "inputs":{"artifacts":[{"name":"in","path":"/in/big.bin","archive":{"none":{}},
                                          "s3":{"key":"%s"}}]},
                  "outputs":{"parameters":[{"name":"bytes"}],
                             "artifacts":[{"name":"out","path":"/out/big.bin","archive":{"none":{}}}]},
                  "metadata":{},
                  "plugin":{"wasm":{"module":{"file":"%s"},"operation":"copy",
                                    "limits":{"timeout":"30m"}}}}}
                """
                        .formatted(INPUT_KEY, TestModules.test("conformance"));
        return Json.mapper().readTree(body);
    }

    private static long crcOf(InProcessS3 s3, String key) throws Exception {
        try (InputStream object = s3.open(BUCKET, key);
                CheckedInputStream data = new CheckedInputStream(object, new CRC32())) {
            data.transferTo(OutputStream.nullOutputStream());
            return data.getChecksum().getValue();
        }
    }
}
