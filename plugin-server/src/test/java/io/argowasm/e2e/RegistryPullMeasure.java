package io.argowasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.cli.Main;
import io.argowasm.module.Digests;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleSourcePolicy;
import io.argowasm.module.oci.LocalRegistry;
import io.argowasm.module.oci.LoopbackTls;
import io.argowasm.module.oci.OciModules;
import io.argowasm.module.oci.OciReference;
import io.argowasm.module.oci.RegistryClient;
import io.argowasm.module.oci.RegistryCredentials;
import io.argowasm.module.oci.RegistryLogins;
import io.argowasm.module.oci.TokenServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * Measures the first step of a module pulled from a registry under token auth against the same
 * module fetched from an https URL, in one sidecar process. Everything is on loopback and over TLS
 * (one self-signed certificate the sidecar trusts): docker-registry with {@code http.tls}, the
 * token service and the URL server. Each sample is a module variant the sidecar has never seen (a
 * nonce in a custom section) in a repository of its own, so a pull fetches a token, the manifest
 * and the blob; a URL step fetches the module. Both then check the digest and compile.
 *
 * <p>Tagged {@code measure}, excluded by default; it prints its figures and writes them to {@code
 * docs/performance/registry-pull.md}, which {@code benchmarks/run.sh} includes in
 * docs/performance.md:
 *
 * <pre>
 * mvn -B -pl plugin-server -am verify -Dgroups=measure -Dtest=RegistryPullMeasure \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@Tag("measure")
class RegistryPullMeasure {

    private static final String SECTION =
            """
            ## 7. Modules from a registry

            Measured apart from the harness by a tagged test, since it needs Debian's \
            `docker-registry`; on the same machine, with the load noted below, so these figures are \
            noisier than the sections above:

            ```sh
            mvn -B -pl plugin-server -am verify -Dgroups=measure -Dtest=RegistryPullMeasure \\
                -Dsurefire.failIfNoSpecifiedTests=false
            ```

            One sidecar process (`serve`, without the CDS archive) runs a greet step whose module \
            comes from `module.oci` and one whose module comes from an https `module.url`, in \
            alternating order, each sample a module variant it has never seen (a nonce in a custom \
            section) in a repository of its own: the pull fetches a token with the login of \
            `--registry-config`, the manifest and the blob; the URL step one GET. Both are pinned \
            by `sha256`, checked and compiled. All on loopback over TLS (one self-signed \
            certificate): docker-registry 2.8 with `http.tls` and `auth: token`, a JDK token \
            service signing ES256 tokens, a JDK https server for the URL. %d samples of each \
            first warm the JIT and are not counted. Then the fetch alone, in the test's JVM with the \
            plugin's classes (after %d warm-up samples): `OciModules.locate` and `fetch` against \
            `ModuleFetcher.fetch`.

            """;

    private static final String NOT_MEASURED =
            """
            A tag is resolved once per process and a compiled module is kept by digest, so only \
            the first step of a module in a sidecar pays this; later steps ask the registry \
            nothing (a pinned `@sha256:` manifest) or one manifest request (a tag).

            Not measured here, and what a real registry adds: network round trips for each of \
            the three requests (to ghcr.io or Docker Hub from a cluster, tens of milliseconds each \
            instead of loopback's fraction of one) and TLS handshakes with two or three hosts \
            (registry, token service, and the storage a blob is redirected to: \
            `pkg-containers.githubusercontent.com`, Cloudflare/CloudFront for Docker Hub); pull \
            rate limits (Docker Hub's 429); and in a cluster the Kubernetes API reads of the \
            Workflow and its pull Secrets (kept 30 s) when the registry asks for a login.
            """;

    private static final int WARM_UP = 3;
    private static final int SAMPLES = 9;

    @TempDir Path dir;

    @Test
    void firstStepFromARegistryAgainstAnHttpsUrl() throws Exception {
        assumeTrue(LocalRegistry.available(), "docker-registry is not installed");
        System.setProperty("sun.net.httpserver.nodelay", "true");
        LoopbackTls tls = LoopbackTls.create(Files.createDirectories(dir.resolve("tls")));
        // This JVM pushes to the TLS registry through the push command; it runs alone (-Dtest).
        tls.trustStoreOptions()
                .forEach(
                        o -> {
                            String[] kv = o.substring(2).split("=", 2);
                            System.setProperty(kv[0], kv[1]);
                        });
        Map<String, byte[]> served = new ConcurrentHashMap<>();
        HttpsServer urls =
                HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        urls.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
        urls.createContext(
                "/",
                exchange -> {
                    byte[] bytes = served.get(exchange.getRequestURI().getPath());
                    exchange.sendResponseHeaders(
                            bytes == null ? 404 : 200, bytes == null ? -1 : bytes.length);
                    try (OutputStream body = exchange.getResponseBody()) {
                        if (bytes != null) {
                            body.write(bytes);
                        }
                    }
                });
        urls.start();
        byte[] greet = TestModules.bytes(TestModules.example("greet/greet"));
        try (TokenServer tokens =
                        TokenServer.start(Files.createDirectories(dir.resolve("tokens")), tls);
                LocalRegistry registry =
                        LocalRegistry.startWithTokens(
                                Files.createDirectories(dir.resolve("registry")), tokens, tls)) {
            String auth =
                    Base64.getEncoder()
                            .encodeToString(
                                    (TokenServer.USER + ":" + TokenServer.PASSWORD)
                                            .getBytes(StandardCharsets.UTF_8));
            Path config =
                    Files.writeString(
                            dir.resolve("config.json"),
                            "{\"auths\": {\"%s\": {\"auth\": \"%s\"}}}"
                                    .formatted(registry.address(), auth));
            List<String> jvm = new ArrayList<>(tls.trustStoreOptions());
            try (SidecarProcess sidecar =
                    SidecarProcess.start(
                            jvm,
                            List.of(
                                    "--no-auth",
                                    "--allow-private-module-hosts",
                                    "--registry-config",
                                    config.toString()),
                            Map.of(),
                            dir.resolve("sidecar.log"))) {
                AgentClient agent = new AgentClient(sidecar.port(), null);
                List<Double> oci = new ArrayList<>();
                List<Double> url = new ArrayList<>();
                for (int i = 0; i < WARM_UP + SAMPLES; i++) {
                    byte[] forOci = withNonce(greet, "oci-" + i);
                    byte[] forUrl = withNonce(greet, "url-" + i);
                    String repository = "bench/greet-" + i;
                    push(registry.address(), repository, forOci, config);
                    served.put("/greet-" + i + ".wasm", forUrl);
                    String ociModule =
                            "{\"oci\": \"%s/%s:v1\", \"sha256\": \"%s\"}"
                                    .formatted(
                                            registry.address(), repository, Digests.sha256(forOci));
                    String urlModule =
                            "{\"url\": \"https://127.0.0.1:%d/greet-%d.wasm\", \"sha256\": \"%s\"}"
                                    .formatted(
                                            urls.getAddress().getPort(), i, Digests.sha256(forUrl));
                    // Alternate which goes first, so neither always finds the other's warm-up.
                    boolean ociFirst = i % 2 == 0;
                    double first = step(agent, i, ociFirst ? ociModule : urlModule);
                    double second = step(agent, i, ociFirst ? urlModule : ociModule);
                    if (i >= WARM_UP) {
                        oci.add(ociFirst ? first : second);
                        url.add(ociFirst ? second : first);
                    }
                }
                List<Double> ociFetch = new ArrayList<>();
                List<Double> urlFetch = new ArrayList<>();
                fetchesAlone(
                        registry.address(),
                        config,
                        urls.getAddress().getPort(),
                        served,
                        greet,
                        ociFetch,
                        urlFetch);
                String report =
                        SECTION.formatted(WARM_UP, WARM_UP)
                                + report(
                                        "first step, end to end through the sidecar",
                                        oci,
                                        url,
                                        greet.length)
                                + "\n"
                                + report(
                                        "module fetch alone, in one JVM",
                                        ociFetch,
                                        urlFetch,
                                        greet.length)
                                + "\nLoad average when the run ended: %s (%d cores).\n\n"
                                        .formatted(
                                                Files.readString(Path.of("/proc/loadavg"))
                                                        .split(" ")[0],
                                                Runtime.getRuntime().availableProcessors())
                                + NOT_MEASURED;
                System.out.println(report);
                Path docs = Path.of("..", "docs", "performance");
                if (Files.isDirectory(docs)) {
                    Files.writeString(docs.resolve("registry-pull.md"), report);
                }
            }
        } finally {
            urls.stop(0);
        }
    }

    /**
     * The fetch alone, as the sidecar's classes do it: a registry client with the login resolving a
     * new repository's tag (token, manifest) and pulling the layer, against one GET of the URL; no
     * compile, so less of the machine's noise.
     */
    private static void fetchesAlone(
            String registry,
            Path config,
            int urlPort,
            Map<String, byte[]> served,
            byte[] greet,
            List<Double> oci,
            List<Double> url)
            throws Exception {
        ModuleSourcePolicy policy = ModuleSourcePolicy.builder().allowPrivateHosts(true).build();
        OciModules registries =
                new OciModules(
                        new RegistryClient(
                                policy,
                                Set.of(),
                                RegistryCredentials.read(config),
                                java.time.Duration.ofSeconds(30)),
                        64L << 20,
                        null);
        ModuleFetcher fetcher =
                new ModuleFetcher(64L << 20, java.time.Duration.ofSeconds(30), policy);
        for (int i = 0; i < WARM_UP + SAMPLES; i++) {
            String repository = "bench/fetch-" + i;
            push(registry, repository, withNonce(greet, "fetch-oci-" + i), config);
            served.put("/fetch-" + i + ".wasm", withNonce(greet, "fetch-url-" + i));
            URI module = URI.create("https://127.0.0.1:%d/fetch-%d.wasm".formatted(urlPort, i));
            long start = System.nanoTime();
            OciModules.Located located =
                    registries.locate(
                            OciReference.parse(registry + "/" + repository + ":v1"),
                            RegistryLogins.NONE);
            registries.fetch(located, RegistryLogins.NONE);
            double ociMs = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            fetcher.fetch(module);
            double urlMs = (System.nanoTime() - start) / 1e6;
            if (i >= WARM_UP) {
                oci.add(ociMs);
                url.add(urlMs);
            }
        }
    }

    private static double step(AgentClient agent, int sample, String module) throws Exception {
        JsonNode body =
                Json.mapper()
                        .readTree(
                                """
                                {"workflow": {"metadata": {"name": "measure-%d-%d",
                                  "namespace": "argo", "uid": "u"}},
                                 "template": {"name": "greet",
                                  "inputs": {"parameters": [{"name": "text", "value": "x"}]},
                                  "plugin": {"wasm": {"module": %s, "operation": "greet"}}}}
                                """
                                        .formatted(sample, module.hashCode(), module));
        long start = System.nanoTime();
        JsonNode node = agent.execute(body, java.time.Duration.ofMinutes(1));
        long nanos = System.nanoTime() - start;
        assertThat(node.path("phase").asString()).as(node.toString()).isEqualTo("Succeeded");
        return nanos / 1e6;
    }

    private static void push(String registry, String repository, byte[] module, Path config)
            throws Exception {
        Path file = Files.write(Files.createTempFile("measure", ".wasm"), module);
        StringWriter err = new StringWriter();
        CommandLine push = Main.commandLine();
        push.setOut(new PrintWriter(new StringWriter(), true));
        push.setErr(new PrintWriter(err, true));
        int code =
                push.execute(
                        "push",
                        file.toString(),
                        registry + "/" + repository + ":v1",
                        "--registry-config",
                        config.toString());
        Files.delete(file);
        assertThat(code).as(err.toString()).isZero();
    }

    private static String report(String what, List<Double> oci, List<Double> url, int size) {
        List<Double> differences = new ArrayList<>();
        for (int i = 0; i < oci.size(); i++) {
            differences.add(oci.get(i) - url.get(i));
        }
        return """
        | %s (greet, %.1f KiB) | median | min | max | samples |
        |---|---|---|---|---|
        | from the registry (token auth: token, manifest, blob) | %s | %s | %s | %d |
        | from an https URL | %s | %s | %s | %d |
        | registry minus URL, same sample | %s | %s | %s | %d |
        """
                .formatted(
                        what,
                        size / 1024.0,
                        ms(median(oci)),
                        ms(min(oci)),
                        ms(max(oci)),
                        oci.size(),
                        ms(median(url)),
                        ms(min(url)),
                        ms(max(url)),
                        url.size(),
                        ms(median(differences)),
                        ms(min(differences)),
                        ms(max(differences)),
                        differences.size());
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.1f ms", value);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /** The module with a custom section holding a nonce: the same code, a new digest. */
    private static byte[] withNonce(byte[] module, String nonce) {
        byte[] name = "measure-nonce".getBytes(StandardCharsets.UTF_8);
        byte[] value = nonce.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(name.length);
        payload.writeBytes(name);
        payload.writeBytes(value);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(module);
        out.write(0);
        out.write(payload.size());
        out.writeBytes(payload.toByteArray());
        return out.toByteArray();
    }
}
