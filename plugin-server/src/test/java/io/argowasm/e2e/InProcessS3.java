package io.argowasm.e2e;

import io.argowasm.artifacts.S3ProxyServer;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * An in-process S3Proxy on a free loopback port with a filesystem blob store in a temporary
 * directory, and an administrator's client to seed and inspect its buckets.
 */
final class InProcessS3 implements AutoCloseable {

    static final String ACCESS_KEY = S3ProxyServer.ACCESS_KEY;
    static final String SECRET_KEY = S3ProxyServer.SECRET_KEY;

    /** Multipart part size for large streams. */
    private static final long PART_BYTES = 16L << 20;

    private final S3ProxyServer proxy;
    private final MinioClient admin;

    private InProcessS3(S3ProxyServer proxy) {
        this.proxy = proxy;
        this.admin =
                MinioClient.builder()
                        .endpoint(endpoint())
                        .credentials(ACCESS_KEY, SECRET_KEY)
                        .build();
    }

    static InProcessS3 start() throws Exception {
        return new InProcessS3(S3ProxyServer.start());
    }

    /** {@code http://127.0.0.1:<port>}. */
    String endpoint() {
        return proxy.endpoint();
    }

    /** {@code 127.0.0.1:<port>}, as Argo's {@code s3.endpoint} spells it. */
    String hostPort() {
        return endpoint().substring("http://".length());
    }

    void createBucket(String bucket) throws Exception {
        admin.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    }

    void put(String bucket, String key, byte[] content) throws Exception {
        admin.putObject(
                PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                new ByteArrayInputStream(content), (long) content.length, null)
                        .build());
    }

    /** Stores {@code size} bytes from a stream as a multipart upload, never all in memory. */
    void put(String bucket, String key, InputStream content, long size) throws Exception {
        admin.putObject(
                PutObjectArgs.builder().bucket(bucket).object(key).stream(content, size, PART_BYTES)
                        .build());
    }

    byte[] get(String bucket, String key) throws Exception {
        try (InputStream in = open(bucket, key)) {
            return in.readAllBytes();
        }
    }

    InputStream open(String bucket, String key) throws Exception {
        return admin.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
    }

    long size(String bucket, String key) throws Exception {
        return admin.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size();
    }

    boolean exists(String bucket, String key) throws Exception {
        try {
            size(bucket, key);
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            admin.close();
        } catch (Exception e) {
            throw new IllegalStateException("the S3 client did not close", e);
        } finally {
            proxy.close();
        }
    }
}
