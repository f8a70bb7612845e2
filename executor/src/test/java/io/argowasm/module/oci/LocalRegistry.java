package io.argowasm.module.oci;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Debian's {@code docker-registry} (the CNCF distribution registry) on a free loopback port, with
 * its storage in a temporary directory; optionally behind htpasswd Basic auth.
 */
public final class LocalRegistry implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    /** {@code tester} / {@code s3cret}, bcrypt as the registry's htpasswd auth requires. */
    static final String HTPASSWD =
            "tester:$2y$05$wFMDojIWf35uDPq7YB7WXOFx/89NNBhWgWSURiIDQPDiWNjRBDsiq\n";

    private final Process process;
    private final String address;

    private LocalRegistry(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    public static boolean available() {
        boolean present = Files.isExecutable(BINARY);
        if (!present) {
            System.err.println(
                    "SKIPPED registry tests: "
                            + BINARY
                            + " is missing; install Debian's docker-registry (as .ci/run does)");
        }
        return present;
    }

    /** Starts a registry; with {@code basicAuth}, only {@code tester}/{@code s3cret} may use it. */
    static LocalRegistry start(Path dir, boolean basicAuth) throws Exception {
        String auth = "";
        if (basicAuth) {
            Path htpasswd = Files.writeString(dir.resolve("htpasswd"), HTPASSWD);
            auth =
                    """
                    auth:
                      htpasswd: {realm: test-registry, path: %s}
                    """
                            .formatted(htpasswd);
        }
        return start(dir, auth);
    }

    /** Starts a registry that accepts the tokens of {@code tokens} only. */
    public static LocalRegistry startWithTokens(Path dir, TokenServer tokens) throws Exception {
        return start(dir, tokens.registryAuthConfig(), null);
    }

    /** Starts a registry on https with {@code tls} that accepts the tokens of {@code tokens}. */
    public static LocalRegistry startWithTokens(Path dir, TokenServer tokens, LoopbackTls tls)
            throws Exception {
        return start(dir, tokens.registryAuthConfig(), tls);
    }

    private static LocalRegistry start(Path dir, String auth) throws Exception {
        return start(dir, auth, null);
    }

    private static LocalRegistry start(Path dir, String auth, LoopbackTls tls) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        Path storage = Files.createDirectories(dir.resolve("storage"));
        StringBuilder config =
                new StringBuilder(
                        """
                        version: 0.1
                        log: {level: warn}
                        storage:
                          filesystem: {rootdirectory: %s}
                        http:
                          addr: %s
                        """
                                .formatted(storage, address));
        if (tls != null) {
            config.append(tls.registryConfig());
        }
        config.append(auth);
        Path file = Files.writeString(dir.resolve("config.yml"), config);
        Process process =
                new ProcessBuilder(BINARY.toString(), "serve", file.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("registry.log").toFile())
                        .start();
        LocalRegistry registry = new LocalRegistry(process, address);
        registry.awaitReady(dir, tls);
        return registry;
    }

    private void awaitReady(Path dir, LoopbackTls tls) throws Exception {
        HttpClient http =
                tls == null
                        ? HttpClient.newHttpClient()
                        : HttpClient.newBuilder().sslContext(tls.context()).build();
        String scheme = tls == null ? "http" : "https";
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try {
                HttpResponse<Void> response =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(scheme + "://" + address + "/v2/"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200 || response.statusCode() == 401) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("docker-registry did not answer within 30s");
    }

    /** {@code 127.0.0.1:PORT}. */
    public String address() {
        return address;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
