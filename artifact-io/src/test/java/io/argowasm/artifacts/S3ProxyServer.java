package io.argowasm.artifacts;

import org.gaul.s3proxy.junit.S3ProxyJunitCore;

/** An in-process S3Proxy on a free loopback port, with a filesystem blob store in a temp dir. */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key-0123456789";

    private final S3ProxyJunitCore proxy;

    private S3ProxyServer(S3ProxyJunitCore proxy) {
        this.proxy = proxy;
    }

    public static S3ProxyServer start() throws Exception {
        S3ProxyJunitCore proxy =
                new S3ProxyJunitCore.Builder()
                        .withCredentials(ACCESS_KEY, SECRET_KEY)
                        .withBlobStoreProvider("filesystem")
                        .build();
        proxy.beforeEach();
        return new S3ProxyServer(proxy);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        String uri = proxy.getUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    @Override
    public void close() {
        proxy.afterEach();
    }
}
