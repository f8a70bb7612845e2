package io.argowasm.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Downloads {@code http} input artifacts straight to a file. */
final class HttpFetcher {
    // Made on first use unless given: a sidecar whose steps have no http inputs should not pay
    // for the TLS set-up at start-up.
    private final LazyHttpClient client;
    private final Duration timeout;

    /**
     * @param client the client to use, or null for a default one made on first use
     */
    HttpFetcher(HttpClient client, Duration timeout) {
        this.client =
                client != null
                        ? LazyHttpClient.of(() -> client)
                        : LazyHttpClient.of(HttpClient.Redirect.NORMAL, Duration.ofSeconds(10));
        this.timeout = timeout;
    }

    /** Streams the URL into {@code target}; {@code false} when the server answers 404. */
    boolean fetch(String artifact, ArtifactSource.Http http, OutputStream target)
            throws IOException {
        if (http.url() == null) {
            throw new ArtifactException(
                    "input artifact '%s' has an http without url".formatted(artifact));
        }
        URI uri;
        try {
            uri = URI.create(http.url());
        } catch (IllegalArgumentException e) {
            throw new ArtifactException(
                    "input artifact '%s' has an invalid http url: %s"
                            .formatted(artifact, e.getMessage()));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        for (Map.Entry<String, String> header : http.headers()) {
            request.header(header.getKey(), header.getValue());
        }
        HttpResponse<InputStream> response;
        try {
            response =
                    client.get().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException(
                    "download of input artifact '%s' was interrupted".formatted(artifact), e);
        } catch (IOException e) {
            throw cannotFetch(artifact, uri, e);
        }
        // Closing the body before its end drops the connection: nothing more is read.
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 200) {
                try {
                    body.transferTo(target);
                } catch (IOException e) {
                    throw cannotFetch(artifact, uri, e);
                }
                return true;
            }
            if (status == 404) {
                return false;
            }
            throw new ArtifactException(
                    "input artifact '%s': %s answered HTTP %s; check the URL and its headers"
                            .formatted(artifact, withoutQuery(uri), status));
        }
    }

    private static ArtifactException cannotFetch(String artifact, URI uri, IOException e) {
        return new ArtifactException(
                "input artifact '%s': cannot fetch %s: %s"
                        .formatted(artifact, withoutQuery(uri), e),
                e);
    }

    /** Query strings often carry tokens; messages show the rest. */
    static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath();
    }
}
