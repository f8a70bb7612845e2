package io.argowasm.module;

import io.argowasm.artifacts.LazyHttpClient;
import io.argowasm.module.oci.OciModules;
import io.argowasm.module.oci.RegistryClient;
import io.argowasm.module.oci.RegistryCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Downloads module bytes over http(s), refusing more than a size cap while it reads. Every URL, the
 * first and each redirect, must pass the {@link ModuleSourcePolicy}; redirects are followed here,
 * one checked hop at a time, never by the HTTP client.
 */
public final class ModuleFetcher {

    static final int MAX_REDIRECTS = 5;

    private final ModuleSizeCap cap;
    private final Duration timeout;
    private final ModuleSourcePolicy policy;
    private volatile OciModules registries;
    private final LazyHttpClient client =
            LazyHttpClient.of(HttpClient.Redirect.NEVER, Duration.ofSeconds(10));

    /** A fetcher with the {@linkplain ModuleSourcePolicy#local() local policy}. */
    public ModuleFetcher(long maxBytes, Duration timeout) {
        this(maxBytes, timeout, ModuleSourcePolicy.local());
    }

    public ModuleFetcher(long maxBytes, Duration timeout, ModuleSourcePolicy policy) {
        this.cap = new ModuleSizeCap(maxBytes);
        this.timeout = timeout;
        this.policy = policy;
    }

    /** A fetcher that pulls {@code module.oci} references through {@code registries}. */
    public ModuleFetcher(
            long maxBytes, Duration timeout, ModuleSourcePolicy policy, OciModules registries) {
        this(maxBytes, timeout, policy);
        this.registries = registries;
    }

    /**
     * Where {@code module.oci} references are pulled from; without one given, anonymously over
     * https under this fetcher's policy.
     */
    OciModules registries() {
        OciModules made = registries;
        if (made == null) {
            synchronized (this) {
                if (registries == null) {
                    registries =
                            new OciModules(
                                    new RegistryClient(
                                            policy,
                                            java.util.Set.of(),
                                            RegistryCredentials.none(),
                                            timeout),
                                    cap.maxBytes(),
                                    null);
                }
                made = registries;
            }
        }
        return made;
    }

    /**
     * Builds the HTTP client now (the TLS set-up: trust store, security providers), which the first
     * fetch would otherwise wait for.
     */
    public void prepare() {
        client.get();
    }

    /** The rules module sources follow, files included. */
    ModuleSourcePolicy policy() {
        return policy;
    }

    public byte[] fetch(URI url) throws ModuleLoadException {
        policy.check(url, "module %s".formatted(url));
        URI current = url;
        try {
            for (int hop = 0; ; hop++) {
                HttpRequest request =
                        HttpRequest.newBuilder(current).timeout(timeout).GET().build();
                HttpResponse<InputStream> response =
                        client.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    Optional<URI> next = redirect(url, current, response);
                    if (next.isPresent()) {
                        if (hop == MAX_REDIRECTS) {
                            throw new ModuleLoadException(
                                    "module %s could not be fetched: more than %s redirects"
                                            .formatted(url, MAX_REDIRECTS));
                        }
                        current = next.get();
                        policy.check(current, "module %s redirects to %s".formatted(url, current));
                        continue;
                    }
                    return read(url, response, body);
                }
            }
        } catch (HttpTimeoutException e) {
            throw new ModuleLoadException(
                    "module %s could not be fetched: no answer within %ss"
                            .formatted(url, timeout.toSeconds()),
                    e);
        } catch (IOException e) {
            throw new ModuleLoadException(
                    "module %s could not be fetched: %s".formatted(url, describe(current, e)), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleLoadException("fetching module %s was interrupted".formatted(url), e);
        }
    }

    /** Where a redirect response points, resolved against the URL that answered it. */
    private static Optional<URI> redirect(URI url, URI current, HttpResponse<?> response)
            throws ModuleLoadException {
        if (!Redirects.isRedirect(response.statusCode())) {
            return Optional.empty();
        }
        return Optional.of(
                Redirects.target(
                        response, current, "module %s could not be fetched".formatted(url)));
    }

    private byte[] read(URI url, HttpResponse<?> response, InputStream body)
            throws IOException, ModuleLoadException {
        if (response.statusCode() != 200) {
            throw new ModuleLoadException(
                    ("module %s could not be fetched: HTTP %s%s; check the URL and"
                                    + " that the server serves it without credentials")
                            .formatted(
                                    url,
                                    response.statusCode(),
                                    response.uri().equals(url)
                                            ? ""
                                            : " from %s".formatted(response.uri())));
        }
        cap.check(
                response.headers().firstValueAsLong("content-length").orElse(-1),
                "module %s".formatted(url));
        return cap.read(body, "module %s".formatted(url));
    }

    private static String describe(URI url, IOException e) {
        String message = e.getMessage();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.nio.channels.UnresolvedAddressException
                    || cause instanceof java.net.UnknownHostException) {
                return "host %s could not be resolved; check the URL".formatted(url.getHost());
            }
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused or host unreachable";
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
