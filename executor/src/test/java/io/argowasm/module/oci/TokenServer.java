package io.argowasm.module.oci;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token service of a registry under {@code auth: token}, as distribution's token spec describes
 * it: {@code GET /token?service=…&scope=…}, with Basic credentials or anonymously, answered with an
 * ES256 JWT whose {@code x5c} header carries a self-signed certificate the registry trusts (its
 * {@code rootcertbundle}). {@code tester}/{@code s3cret} gets the actions asked for; an anonymous
 * caller gets a token with no access, as public registries answer for a private repository; a wrong
 * password gets 401.
 */
public final class TokenServer implements AutoCloseable {

    public static final String USER = "tester";
    public static final String PASSWORD = "s3cret";
    static final String SERVICE = "test-registry";
    static final String ISSUER = "test-token-issuer";

    private final HttpServer server;
    private final String scheme;
    private final PrivateKey key;
    private final String certificate;
    private final Path bundle;
    private final AtomicInteger issued = new AtomicInteger();

    private TokenServer(HttpServer server, PrivateKey key, X509Certificate cert, Path bundle)
            throws Exception {
        this.server = server;
        this.scheme = server instanceof HttpsServer ? "https" : "http";
        this.key = key;
        this.certificate = Base64.getEncoder().encodeToString(cert.getEncoded());
        this.bundle = bundle;
    }

    /** Makes a P-256 key and certificate with the JDK's keytool and serves tokens over http. */
    public static TokenServer start(Path dir) throws Exception {
        return start(dir, null);
    }

    /** Serves tokens over https with {@code tls}, or over http when it is null. */
    public static TokenServer start(Path dir, LoopbackTls tls) throws Exception {
        Path store = dir.resolve("token.p12");
        Process keytool =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-keyalg",
                                "EC",
                                "-groupname",
                                "secp256r1",
                                "-alias",
                                "token",
                                "-dname",
                                "CN=token",
                                "-validity",
                                "2",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                store.toString(),
                                "-storepass",
                                "changeit")
                        .redirectErrorStream(true)
                        .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) keys.getKey("token", "changeit".toCharArray());
        X509Certificate cert = (X509Certificate) keys.getCertificate("token");
        Path bundle =
                Files.writeString(
                        dir.resolve("token.pem"),
                        "-----BEGIN CERTIFICATE-----\n"
                                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.UTF_8))
                                        .encodeToString(cert.getEncoded())
                                + "\n-----END CERTIFICATE-----\n");
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
            server = https;
        }
        TokenServer tokens = new TokenServer(server, key, cert, bundle);
        server.createContext("/token", tokens::answer);
        server.start();
        return tokens;
    }

    /** {@code 127.0.0.1:PORT}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The registry's {@code auth:} section trusting this server. */
    public String registryAuthConfig() {
        return """
        auth:
          token:
            realm: %s://%s/token
            service: %s
            issuer: %s
            rootcertbundle: %s
        """
                .formatted(scheme, address(), SERVICE, ISSUER, bundle);
    }

    /** Tokens handed out so far. */
    public int issued() {
        return issued.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String subject = "";
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                String login =
                        new String(
                                Base64.getDecoder()
                                        .decode(authorization.substring("Basic ".length())),
                                StandardCharsets.UTF_8);
                if (!login.equals(USER + ":" + PASSWORD)) {
                    byte[] body =
                            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad login\"}]}"
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(401, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                subject = USER;
            }
            List<String> access = new ArrayList<>();
            String query = exchange.getRequestURI().getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                if (!pair.startsWith("scope=") || subject.isEmpty()) {
                    continue;
                }
                String[] scope =
                        URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8).split(":");
                StringBuilder actions = new StringBuilder();
                for (String action : scope[2].split(",")) {
                    actions.append(actions.isEmpty() ? "" : ",")
                            .append('"')
                            .append(action)
                            .append('"');
                }
                access.add(
                        "{\"type\":\"%s\",\"name\":\"%s\",\"actions\":[%s]}"
                                .formatted(scope[0], scope[1], actions));
            }
            String token = jwt(subject, access);
            issued.incrementAndGet();
            byte[] body =
                    "{\"token\":\"%s\",\"expires_in\":300}"
                            .formatted(token)
                            .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (Exception e) {
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private String jwt(String subject, List<String> access) throws Exception {
        long now = Instant.now().getEpochSecond();
        String header =
                "{\"typ\":\"JWT\",\"alg\":\"ES256\",\"x5c\":[\"%s\"]}".formatted(certificate);
        String claims =
                ("{\"iss\":\"%s\",\"sub\":\"%s\",\"aud\":\"%s\",\"exp\":%d,\"nbf\":%d,\"iat\":%d,"
                                + "\"jti\":\"%s\",\"access\":[%s]}")
                        .formatted(
                                ISSUER,
                                subject,
                                SERVICE,
                                now + 300,
                                now - 10,
                                now,
                                UUID.randomUUID(),
                                String.join(",", access));
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signed =
                url.encodeToString(header.getBytes(StandardCharsets.UTF_8))
                        + "."
                        + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
        signature.initSign(key);
        signature.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + url.encodeToString(signature.sign());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
