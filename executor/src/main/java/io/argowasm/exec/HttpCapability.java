package io.argowasm.exec;

import io.argowasm.artifacts.LazyHttpClient;
import io.argowasm.metrics.PluginMetrics;
import io.argowasm.metrics.PluginMetrics.HttpResult;
import io.argowasm.module.ModuleLoadException;
import io.argowasm.module.ModuleSourcePolicy;
import io.argowasm.wapc.HostBindings;
import io.argowasm.wapc.HostCallException;
import io.argowasm.wapc.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outgoing HTTP for guests, off unless both sides ask: a template lists origins under {@code
 * plugin.wasm.permissions.http.allowed_hosts}, and the sidecar admits them with {@code
 * --http-allowed-hosts}. A request goes out only to an origin in both lists and, like a module
 * download, to a public address unless the sidecar allows private ones. Redirects are not followed.
 * Each request has a time cap and a response size cap, and is logged and counted.
 */
public final class HttpCapability {

    /** The waPC binding name of {@link HttpBinding}. */
    static final String BINDING = "http";

    /** {@code --http-allowed-hosts} value admitting whatever origin a template names. */
    public static final String ANY_ORIGIN = "*";

    private static final Logger log = LoggerFactory.getLogger(HttpCapability.class);
    private static final Set<String> RESTRICTED_HEADERS =
            Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final Set<URI> sidecarOrigins;
    private final boolean anyOrigin;
    private final ModuleSourcePolicy addresses;
    private final Duration timeout;
    private final long maxResponseBytes;
    private final JsonMapper json;
    private final PluginMetrics metrics;
    private final LazyHttpClient client;

    /**
     * The sidecar's side of the capability.
     *
     * @param origins the origins the sidecar admits, or {@link #ANY_ORIGIN}; empty: no HTTP
     * @param addresses the address rules of module sources (private hosts, metadata services)
     * @param timeout the longest one request may take, connecting included
     * @param maxResponseBytes the largest response body a guest may receive
     */
    public record Rules(
            List<String> origins,
            ModuleSourcePolicy addresses,
            Duration timeout,
            long maxResponseBytes) {

        /** No HTTP for any step. */
        public static final Rules OFF =
                new Rules(
                        List.of(), ModuleSourcePolicy.builder().build(), Duration.ofSeconds(30), 0);

        public Rules {
            origins = List.copyOf(origins);
            origins.stream().filter(o -> !o.equals(ANY_ORIGIN)).forEach(HttpPermission::origin);
        }
    }

    HttpCapability(Rules rules, JsonMapper json, PluginMetrics metrics) {
        this.anyOrigin = rules.origins().contains(ANY_ORIGIN);
        this.sidecarOrigins =
                rules.origins().stream()
                        .filter(o -> !o.equals(ANY_ORIGIN))
                        .map(HttpPermission::origin)
                        .collect(Collectors.toUnmodifiableSet());
        this.addresses = rules.addresses();
        this.timeout = rules.timeout();
        this.maxResponseBytes = rules.maxResponseBytes();
        this.json = json;
        this.metrics = metrics;
        this.client = LazyHttpClient.of(HttpClient.Redirect.NEVER, timeout);
    }

    /**
     * The host calls of one step: the {@code http} binding and the {@code wasi_experimental_http}
     * exchange when its template asks for HTTP, nothing otherwise.
     *
     * @throws StepFailure when the template names an origin the sidecar does not admit
     */
    HostBindings bindings(WasmPluginSpec spec, StepContext step) throws StepFailure {
        HostBindings.Builder bindings = HostBindings.builder();
        addTo(bindings, spec, step);
        return bindings.build();
    }

    /** Adds the step's HTTP, if its template asks for it, to a builder of other bindings. */
    void addTo(HostBindings.Builder bindings, WasmPluginSpec spec, StepContext step)
            throws StepFailure {
        exchange(spec, step)
                .ifPresent(e -> bindings.bind(BINDING, new HttpBinding(json, e)).http(e));
    }

    private java.util.Optional<HttpExchange> exchange(WasmPluginSpec spec, StepContext step)
            throws StepFailure {
        if (!spec.http().any()) {
            return java.util.Optional.empty();
        }
        List<URI> refused =
                spec.http().allowedOrigins().stream()
                        .filter(o -> !anyOrigin && !sidecarOrigins.contains(o))
                        .toList();
        if (!refused.isEmpty()) {
            throw StepFailure.because(
                    PluginMetrics.Reason.TEMPLATE,
                    ("plugin.wasm.permissions.http.allowed_hosts names %s, which this sidecar does"
                                    + " not admit (%s); add %s to the sidecar's %s")
                            .formatted(
                                    join(refused),
                                    sidecarOrigins.isEmpty() && !anyOrigin
                                            ? "it allows no HTTP"
                                            : "it admits %s".formatted(join(sidecarOrigins)),
                                    refused.size() == 1 ? "it" : "them",
                                    ExecutorFlags.HTTP_ALLOWED_HOSTS),
                    null);
        }
        Set<URI> allowed = Set.copyOf(spec.http().allowedOrigins());
        return java.util.Optional.of(request -> send(step, allowed, request));
    }

    private static String join(java.util.Collection<URI> origins) {
        return origins.stream()
                .map(URI::toString)
                .collect(Collectors.toCollection(TreeSet::new))
                .toString()
                .replaceAll("^\\[|\\]$", "");
    }

    private HttpExchange.Response send(
            StepContext step, Set<URI> allowed, HttpExchange.Request request)
            throws HostCallException {
        long start = System.nanoTime();
        HttpResult result = HttpResult.FAILED;
        int status = 0;
        long bytes = 0;
        String error = null;
        try {
            URI url = checked(allowed, request.url());
            HttpResponse<InputStream> response =
                    client.get()
                            .send(build(url, request), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            byte[] body = readCapped(response.body(), request.url());
            bytes = body.length;
            result = HttpResult.OK;
            return new HttpExchange.Response(status, response.headers().map(), body);
        } catch (HostCallException e) {
            result =
                    e.getMessage().contains("not allowed")
                            ? HttpResult.REFUSED
                            : e.getMessage().contains(ExecutorFlags.MAX_HTTP_RESPONSE)
                                    ? HttpResult.TOO_LARGE
                                    : HttpResult.FAILED;
            error = e.getMessage();
            throw e;
        } catch (HttpTimeoutException e) {
            result = HttpResult.TIMEOUT;
            error =
                    "HTTP request to %s timed out after %s (%s)"
                            .formatted(
                                    request.url(),
                                    GoDuration.format(timeout),
                                    ExecutorFlags.HTTP_TIMEOUT);
            throw new HostCallException(error);
        } catch (IOException e) {
            error = "HTTP request to %s failed: %s".formatted(request.url(), e);
            throw new HostCallException(error);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the step is being stopped; the guest stops next
            error =
                    "HTTP request to %s was interrupted: the step was stopped"
                            .formatted(request.url());
            throw new HostCallException(error);
        } finally {
            metrics.httpRequest(result);
            log.atInfo()
                    .addKeyValue("namespace", step.namespace())
                    .addKeyValue("workflow", step.workflow())
                    .addKeyValue("template", step.template())
                    .addKeyValue("method", request.method())
                    .addKeyValue("url", request.url())
                    .addKeyValue("result", result.label())
                    .addKeyValue("status", status)
                    .addKeyValue("bytes", bytes)
                    .addKeyValue(
                            "duration",
                            GoDuration.format(Duration.ofNanos(System.nanoTime() - start)))
                    .addKeyValue("error", error)
                    .log("guest HTTP request");
        }
    }

    /** The URL when its origin is allowed and its host public (or private hosts are allowed). */
    private URI checked(Set<URI> allowed, String text) throws HostCallException {
        URI url;
        URI origin;
        try {
            url = new URI(text);
            origin = HttpPermission.originOf(url);
        } catch (java.net.URISyntaxException | IllegalArgumentException | NullPointerException e) {
            throw new HostCallException("HTTP request to '%s' failed: not a URL".formatted(text));
        }
        if (!allowed.contains(origin)) {
            throw new HostCallException(
                    ("HTTP request to %s not allowed: origin %s is not in"
                                    + " plugin.wasm.permissions.http.allowed_hosts (%s)")
                            .formatted(text, origin, join(allowed)));
        }
        try {
            addresses.check(url, "HTTP request to %s".formatted(text));
        } catch (ModuleLoadException e) {
            throw new HostCallException("not allowed: %s".formatted(e.getMessage()));
        }
        return url;
    }

    private HttpRequest build(URI url, HttpExchange.Request request) throws HostCallException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(timeout);
        try {
            request.headers()
                    .forEach(
                            (name, values) -> {
                                if (!RESTRICTED_HEADERS.contains(
                                        name.toLowerCase(java.util.Locale.ROOT))) {
                                    values.forEach(v -> builder.header(name, v));
                                }
                            });
            builder.method(
                    request.method(),
                    request.body().length == 0
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        } catch (IllegalArgumentException e) {
            throw new HostCallException(
                    "HTTP request to %s failed: %s".formatted(request.url(), e.getMessage()));
        }
        return builder.build();
    }

    private byte[] readCapped(InputStream body, String url) throws IOException, HostCallException {
        try (InputStream in = body) {
            byte[] bytes =
                    in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxResponseBytes + 1));
            if (bytes.length > maxResponseBytes) {
                throw new HostCallException(
                        "HTTP response from %s is larger than the cap of %s (%s)"
                                .formatted(
                                        url,
                                        io.argowasm.budget.Sizes.describe(maxResponseBytes),
                                        ExecutorFlags.MAX_HTTP_RESPONSE));
            }
            return bytes;
        }
    }
}
