package io.argowasm.cli;

import io.argowasm.module.BundledModules;
import io.argowasm.module.Digests;
import io.argowasm.server.PluginServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The work a just-started sidecar does for its first step, done once against itself: a health probe
 * and one {@code template.execute} of the bundled greet example. The build runs it under {@code
 * -XX:ArchiveClassesAtExit} so the class-data sharing archive holds every class that path loads; it
 * also proves the packaged jar serves a step.
 */
final class TrainingRun {

    private final URI base;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TrainingRun(URI base) {
        this.base = base;
    }

    static TrainingRun against(String host, int port) {
        String target = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return new TrainingRun(URI.create("http://" + target + ":" + port));
    }

    /**
     * @throws IllegalStateException when the sidecar does not answer as a healthy one does
     */
    void run() throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(base.resolve("/healthz")).GET(), "ok");
        // A first scrape loads the metrics' classes, so the archive holds them too.
        send(HttpRequest.newBuilder(base.resolve("/metrics")).GET(), "wasm_executor_build_info");
        String body =
                """
                {"workflow":{"metadata":{"name":"training","namespace":"default","uid":"0"}},
                 "template":{"name":"greet",
                  "inputs":{"parameters":[{"name":"text","value":"archive"}]},
                  "outputs":{"parameters":[{"name":"greeting","valueFrom":{"supplied":{}}}]},
                  "plugin":{"wasm":{"module":{"url":"%s","sha256":"%s"},
                                    "operation":"greet","options":{"style":"loud"}}}}}
                """
                        .formatted(
                                RunCommand.EXAMPLE_MODULE_URL,
                                Digests.sha256(BundledModules.load().bytes("greet")));
        send(
                HttpRequest.newBuilder(base.resolve(PluginServer.EXECUTE_PATH))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                "\"ARCHIVE\"");
    }

    private void send(HttpRequest.Builder request, String expected)
            throws IOException, InterruptedException {
        HttpResponse<String> response =
                client.send(
                        request.timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().contains(expected)) {
            throw new IllegalStateException(
                    ("the warm-up request to %s got HTTP %s %s; expected a reply containing"
                                    + " %s (run the warm-up with --no-auth)")
                            .formatted(
                                    response.uri(),
                                    response.statusCode(),
                                    response.body(),
                                    expected));
        }
    }
}
