package io.argowasm.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fetching over loopback HTTP: redirects are followed one checked hop at a time. */
class ModuleFetcherTest {

    private static final byte[] MODULE = {0, 'a', 's', 'm', 1, 0, 0, 0};

    private static HttpServer server;
    private static final Map<String, Integer> hits = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    String path = exchange.getRequestURI().getPath();
                    hits.merge(path, 1, Integer::sum);
                    String location =
                            switch (path) {
                                case "/relative" -> "module.wasm";
                                case "/same-host" -> base() + "/module.wasm";
                                case "/other-host" -> "http://localhost:" + port() + "/module.wasm";
                                case "/metadata" -> "http://169.254.169.254/latest/meta-data/";
                                case "/loop" -> "/loop";
                                case "/no-location" -> "";
                                default -> null;
                            };
                    if (location == null) {
                        exchange.sendResponseHeaders(200, MODULE.length);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(MODULE);
                        }
                    } else {
                        if (!location.isEmpty()) {
                            exchange.getResponseHeaders().add("Location", location);
                        }
                        exchange.sendResponseHeaders(302, -1);
                    }
                    exchange.close();
                });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static int port() {
        return server.getAddress().getPort();
    }

    private static String base() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * Admits http to 127.0.0.1 only, as if it were a public host; every other name resolves to what
     * it is.
     */
    private static ModuleFetcher fetcher() {
        ModuleSourcePolicy policy =
                ModuleSourcePolicy.builder()
                        .allowHttp(true)
                        .hosts(List.of("127.0.0.1", "169.254.169.254"))
                        .resolver(
                                host ->
                                        host.equals("127.0.0.1")
                                                ? new InetAddress[] {
                                                    InetAddress.getByName("93.184.216.34")
                                                }
                                                : InetAddress.getAllByName(host))
                        .build();
        return new ModuleFetcher(1 << 20, Duration.ofSeconds(5), policy);
    }

    @Test
    void redirectsWithinTheAllowedHostsAreFollowed() throws Exception {
        assertThat(fetcher().fetch(URI.create(base() + "/same-host"))).isEqualTo(MODULE);
        assertThat(fetcher().fetch(URI.create(base() + "/relative"))).isEqualTo(MODULE);
    }

    @Test
    void aRedirectToAHostOutsideTheAllowListIsRefusedBeforeItIsFetched() {
        int before = hits.getOrDefault("/module.wasm", 0);
        assertThatThrownBy(() -> fetcher().fetch(URI.create(base() + "/other-host")))
                .isInstanceOf(ModuleLoadException.class)
                .hasMessageContaining("redirects to http://localhost:")
                .hasMessageContaining("is not in this sidecar's module hosts");
        assertThat(hits.getOrDefault("/module.wasm", 0)).isEqualTo(before);
    }

    @Test
    void aRedirectToTheMetadataServiceIsRefused() {
        assertThatThrownBy(() -> fetcher().fetch(URI.create(base() + "/metadata")))
                .hasMessageContaining("redirects to http://169.254.169.254/latest/meta-data/")
                .hasMessageContaining("link-local");
    }

    @Test
    void aRedirectLoopEndsAfterFiveHops() {
        int before = hits.getOrDefault("/loop", 0);
        assertThatThrownBy(() -> fetcher().fetch(URI.create(base() + "/loop")))
                .hasMessageContaining("more than 5 redirects");
        assertThat(hits.get("/loop") - before).isEqualTo(ModuleFetcher.MAX_REDIRECTS + 1);
    }

    @Test
    void aRedirectWithoutALocationIsReported() {
        assertThatThrownBy(() -> fetcher().fetch(URI.create(base() + "/no-location")))
                .hasMessageContaining("HTTP 302 without a Location header");
    }

    @Test
    void theFirstUrlIsCheckedBeforeAnyRequest() {
        ModuleFetcher strict =
                new ModuleFetcher(
                        1 << 20, Duration.ofSeconds(5), ModuleSourcePolicy.builder().build());
        int before = hits.getOrDefault("/module.wasm", 0);
        assertThatThrownBy(() -> strict.fetch(URI.create(base() + "/module.wasm")))
                .hasMessageContaining("plain http");
        assertThat(hits.getOrDefault("/module.wasm", 0)).isEqualTo(before);
    }
}
