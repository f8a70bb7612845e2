package io.argowasm.module.oci;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed P-256 certificate for 127.0.0.1 made with the JDK's keytool: a key store for JDK
 * servers and clients ({@link #context()}, or {@link #trustStoreOptions()} for another JVM), and
 * PEM files for docker-registry's {@code http.tls}.
 */
public final class LoopbackTls {

    private static final String PASSWORD = "changeit";

    private final Path store;
    private final Path certificate;
    private final Path key;
    private final SSLContext context;

    private LoopbackTls(Path store, Path certificate, Path key, SSLContext context) {
        this.store = store;
        this.certificate = certificate;
        this.key = key;
        this.context = context;
    }

    public static LoopbackTls create(Path dir) throws Exception {
        Path store = dir.resolve("tls.p12");
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
                                "tls",
                                "-dname",
                                "CN=127.0.0.1",
                                "-ext",
                                "SAN=ip:127.0.0.1",
                                "-validity",
                                "2",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                store.toString(),
                                "-storepass",
                                PASSWORD)
                        .redirectErrorStream(true)
                        .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, PASSWORD.toCharArray());
        }
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Path certificate =
                Files.writeString(
                        dir.resolve("tls.crt"),
                        "-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n"
                                .formatted(
                                        pem.encodeToString(
                                                keys.getCertificate("tls").getEncoded())));
        Path key =
                Files.writeString(
                        dir.resolve("tls.key"),
                        "-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n"
                                .formatted(
                                        pem.encodeToString(
                                                keys.getKey("tls", PASSWORD.toCharArray())
                                                        .getEncoded())));
        KeyManagerFactory keyManagers =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
        TrustManagerFactory trustManagers =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return new LoopbackTls(store, certificate, key, context);
    }

    /** Serves and trusts the certificate. */
    public SSLContext context() {
        return context;
    }

    /** JVM options that make another JVM trust the certificate (and only it). */
    public List<String> trustStoreOptions() {
        return List.of(
                "-Djavax.net.ssl.trustStore=" + store,
                "-Djavax.net.ssl.trustStorePassword=" + PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    /** docker-registry's {@code http.tls} section. */
    String registryConfig() {
        return "  tls: {certificate: %s, key: %s}\n".formatted(certificate, key);
    }
}
