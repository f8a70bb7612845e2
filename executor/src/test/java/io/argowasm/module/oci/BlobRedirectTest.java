package io.argowasm.module.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.argowasm.TestModules;
import io.argowasm.module.Digests;
import io.argowasm.module.ModuleSourcePolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registry that needs a login and redirects blobs to storage, as ghcr.io and Docker Hub do: the
 * login goes to the registry only, and the redirect is checked by the module source policy.
 */
class BlobRedirectTest {

    private HttpServer server;
    private final List<String> storageAuthorization = new CopyOnWriteArrayList<>();
    private String address;
    private byte[] module;
    private String layer;

    @BeforeEach
    void start() throws IOException {
        module = TestModules.bytes(TestModules.example("greet/greet"));
        layer = "sha256:" + Digests.sha256(module);
        String manifest =
                """
                {"schemaVersion":2,"mediaType":"%s",\
                "config":{"mediaType":"application/vnd.wasm.config.v1+json",\
                "digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},\
                "layers":[{"mediaType":"%s","digest":"%s","size":%d}]}\
                """
                        .formatted(
                                MediaTypes.OCI_MANIFEST,
                                MediaTypes.WASM_LAYER,
                                layer,
                                module.length);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/v2/",
                exchange -> {
                    String path = exchange.getRequestURI().getPath();
                    String auth = exchange.getRequestHeaders().getFirst("Authorization");
                    if (!("Basic "
                                    + java.util.Base64.getEncoder()
                                            .encodeToString("u:p".getBytes(StandardCharsets.UTF_8)))
                            .equals(auth)) {
                        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"r\"");
                        send(exchange, 401, new byte[0], "application/json");
                    } else if (path.endsWith("/manifests/v1")) {
                        send(
                                exchange,
                                200,
                                manifest.getBytes(StandardCharsets.UTF_8),
                                MediaTypes.OCI_MANIFEST);
                    } else if (path.endsWith("/blobs/" + layer)) {
                        exchange.getResponseHeaders().add("Location", "/storage/blob?sig=1");
                        send(exchange, 307, new byte[0], "text/plain");
                    } else {
                        send(exchange, 404, new byte[0], "text/plain");
                    }
                });
        server.createContext(
                "/storage/",
                exchange -> {
                    String auth = exchange.getRequestHeaders().getFirst("Authorization");
                    storageAuthorization.add(auth == null ? "none" : auth);
                    send(exchange, 200, module, "application/octet-stream");
                });
        server.start();
        address = "127.0.0.1:" + server.getAddress().getPort();
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String type)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private OciModules modules(ModuleSourcePolicy policy) {
        RegistryCredentials login =
                RegistryCredentials.of(address, new RegistryCredentials.Login("u", "p"));
        return new OciModules(
                new RegistryClient(policy, Set.of(address), login, Duration.ofSeconds(10)),
                64L << 20,
                null);
    }

    @Test
    void theRedirectToStorageGoesWithoutTheLogin() throws Exception {
        OciModules modules = modules(ModuleSourcePolicy.local());
        OciModules.Located located =
                modules.locate(OciReference.parse(address + "/team/m:v1"), RegistryLogins.NONE);
        assertThat(located.layer().digest()).isEqualTo(layer);
        assertThat(located.reference().digest()).startsWith("sha256:");
        assertThat(modules.fetch(located, RegistryLogins.NONE)).isEqualTo(module);
        assertThat(storageAuthorization).containsExactly("none");
    }

    @Test
    void aRedirectIsCheckedBeforeItIsFollowed() throws Exception {
        // Plain http was allowed for the registry alone, not for the storage it redirects to.
        server.removeContext("/v2/");
        server.createContext(
                "/v2/",
                exchange -> {
                    exchange.getResponseHeaders()
                            .add(
                                    "Location",
                                    "http://127.0.0.2:"
                                            + server.getAddress().getPort()
                                            + "/storage/blob");
                    send(exchange, 307, new byte[0], "text/plain");
                });
        ModuleSourcePolicy policy =
                ModuleSourcePolicy.builder()
                        .hosts(List.of("127.0.0.1"))
                        .allowPrivateHosts(true)
                        .build();
        OciModules modules = modules(policy);
        OciReference ref = OciReference.parse(address + "/team/m@" + layer);
        OciModules.Located located =
                new OciModules.Located(
                        ref,
                        new ManifestResolver.Descriptor(
                                MediaTypes.WASM_LAYER, layer, module.length));
        assertThatThrownBy(() -> modules.fetch(located, RegistryLogins.NONE))
                .hasMessageContaining("redirects to http://127.0.0.2")
                .hasMessageContaining("--allow-insecure-registries");
        assertThat(storageAuthorization).isEmpty();
    }
}
