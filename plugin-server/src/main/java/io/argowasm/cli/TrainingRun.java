package io.argowasm.cli;

import com.sun.net.httpserver.HttpServer;
import io.argowasm.module.BundledModules;
import io.argowasm.module.Digests;
import io.argowasm.server.PluginServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The work a just-started sidecar does for its first steps, done once against itself: a health
 * probe, one {@code template.execute} of the bundled greet example, and one of a module it has
 * never seen, fetched over HTTP from loopback (the greet example with a custom section added), so
 * the fetch, the digest check and Chicory's compiler run as for a workflow's own module. The build
 * runs it under {@code -XX:ArchiveClassesAtExit}, and the image under {@code -XX:AOTCacheOutput},
 * so the archive holds every class that path loads (and the AOT cache its method profiles); it also
 * proves the packaged jar serves a step.
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
        byte[] greet = BundledModules.load().bytes("greet");
        greet(URI.create(RunCommand.EXAMPLE_MODULE_URL), greet, "bundled");
        byte[] unseen = withCustomSection(greet, "training", "a module this process has not seen");
        HttpServer modules =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        modules.createContext(
                "/",
                exchange -> {
                    exchange.sendResponseHeaders(200, unseen.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(unseen);
                    }
                });
        modules.start();
        try {
            URI url =
                    URI.create(
                            "http://127.0.0.1:%d/greet.wasm"
                                    .formatted(modules.getAddress().getPort()));
            greet(url, unseen, "fetched");
        } finally {
            modules.stop(0);
        }
    }

    /** Posts a greet step for the module at {@code url}; the reply must greet {@code text}. */
    private void greet(URI url, byte[] module, String text)
            throws IOException, InterruptedException {
        String body =
                """
                {"workflow":{"metadata":{"name":"training","namespace":"default","uid":"0"}},
                 "template":{"name":"greet",
                  "inputs":{"parameters":[{"name":"text","value":"%s"}]},
                  "outputs":{"parameters":[{"name":"greeting","valueFrom":{"supplied":{}}}]},
                  "plugin":{"wasm":{"module":{"url":"%s","sha256":"%s"},
                                    "operation":"greet","options":{"style":"loud"}}}}}
                """
                        .formatted(text, url, Digests.sha256(module));
        send(
                HttpRequest.newBuilder(base.resolve(PluginServer.EXECUTE_PATH))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                "\"%s\"".formatted(text.toUpperCase(Locale.ROOT)));
    }

    /** The module with a custom section appended: the same code under another digest. */
    private static byte[] withCustomSection(byte[] module, String name, String content) {
        ByteArrayOutputStream section = new ByteArrayOutputStream();
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        unsignedLeb128(section, nameBytes.length);
        section.writeBytes(nameBytes);
        section.writeBytes(content.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream(module.length + section.size() + 8);
        out.writeBytes(module);
        out.write(0); // custom section id
        unsignedLeb128(out, section.size());
        out.writeBytes(section.toByteArray());
        return out.toByteArray();
    }

    private static void unsignedLeb128(ByteArrayOutputStream out, int value) {
        int rest = value;
        do {
            int low = rest & 0x7f;
            rest >>>= 7;
            out.write(rest == 0 ? low : low | 0x80);
        } while (rest != 0);
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
                                    + " %s (run the warm-up with --no-auth --allow-http"
                                    + " --allow-private-module-hosts)")
                            .formatted(
                                    response.uri(),
                                    response.statusCode(),
                                    response.body(),
                                    expected));
        }
    }
}
