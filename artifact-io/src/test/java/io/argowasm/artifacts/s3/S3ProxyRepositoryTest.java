package io.argowasm.artifacts.s3;

import io.argowasm.artifacts.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The S3 contract against an in-process S3Proxy: always runs. */
class S3ProxyRepositoryTest extends S3RepositoryContract {
    private static S3ProxyServer server;

    @BeforeAll
    static void start() throws Exception {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Override
    protected String endpoint() {
        return server.endpoint();
    }

    @Override
    protected String accessKey() {
        return S3ProxyServer.ACCESS_KEY;
    }

    @Override
    protected String secretKey() {
        return S3ProxyServer.SECRET_KEY;
    }
}
