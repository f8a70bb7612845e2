package io.argowasm.artifacts;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * An HTTP client built on first use. Building a {@link HttpClient} sets up TLS (the trust store,
 * the security providers), which took a good part of the sidecar's start-up; most processes fetch
 * no http artifact or module over https, name no registry or never let a guest call out.
 */
public final class LazyHttpClient {

    private final Supplier<HttpClient> build;
    private volatile HttpClient client;

    private LazyHttpClient(Supplier<HttpClient> build) {
        this.build = build;
    }

    /** A client that {@code build} makes when it is first asked for. */
    public static LazyHttpClient of(Supplier<HttpClient> build) {
        return new LazyHttpClient(build);
    }

    /** A client following redirects as told and giving up connecting after {@code timeout}. */
    public static LazyHttpClient of(HttpClient.Redirect redirects, Duration connectTimeout) {
        return of(
                () ->
                        HttpClient.newBuilder()
                                .followRedirects(redirects)
                                .connectTimeout(connectTimeout)
                                .build());
    }

    /** The client, built by the first caller; the others wait for it. */
    public HttpClient get() {
        HttpClient made = client;
        if (made == null) {
            synchronized (this) {
                if (client == null) {
                    client = build.get();
                }
                made = client;
            }
        }
        return made;
    }
}
