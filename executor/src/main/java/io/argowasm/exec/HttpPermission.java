package io.argowasm.exec;

import java.net.URI;
import java.util.List;

/**
 * The origins ({@code scheme://host[:port]}) a template lets its guest reach over HTTP, from {@code
 * plugin.wasm.permissions.http.allowed_hosts}, the earlier WASI plugin's key. Empty: no HTTP.
 */
public record HttpPermission(List<URI> allowedOrigins) {

    public static final HttpPermission NONE = new HttpPermission(List.of());

    public HttpPermission {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    public boolean any() {
        return !allowedOrigins.isEmpty();
    }

    /**
     * An origin as the key takes it: a URL with a scheme of http or https and a host, reduced to
     * scheme, host and port.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static URI origin(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'%s' is not a URL".formatted(text));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "'%s' is not an origin; write scheme and host, e.g. https://api.example.com"
                            .formatted(text));
        }
        return URI.create(
                "%s://%s%s"
                        .formatted(
                                scheme,
                                uri.getHost().toLowerCase(),
                                uri.getPort() == -1 ? "" : ":" + uri.getPort()));
    }

    /** The origin of a request URL, for comparison with {@link #allowedOrigins}. */
    static URI originOf(URI url) {
        return origin(url.getScheme() + "://" + url.getRawAuthority());
    }
}
