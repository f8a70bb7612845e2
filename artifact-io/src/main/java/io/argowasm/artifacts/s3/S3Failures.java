package io.argowasm.artifacts.s3;

import io.argowasm.artifacts.ArtifactNotFoundException;
import io.argowasm.artifacts.ArtifactRepositoryException;
import io.argowasm.artifacts.ArtifactRepositoryException.Reason;
import io.minio.errors.ErrorResponseException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.ProviderException;
import javax.net.ssl.SSLException;

/** Turns minio's exceptions into messages that say what to fix, naming no secret. */
final class S3Failures {
    private S3Failures() {}

    /**
     * @param action for example {@code "read input artifact 'x' (key 'k')"}
     * @param where the bucket and endpoint, see {@link S3ArtifactRepository#description()}
     */
    static RuntimeException translate(
            Throwable failure, String artifact, String key, String action, String where) {
        ErrorResponseException response = find(failure, ErrorResponseException.class);
        if (response != null) {
            String code = response.errorResponse().code();
            switch (code == null ? "" : code) {
                case "NoSuchKey":
                    return new ArtifactNotFoundException(
                            "input artifact '%s' does not exist: no key '%s' in %s"
                                    .formatted(artifact, key, where));
                case "NoSuchBucket":
                    return new ArtifactRepositoryException(
                            Reason.BUCKET_MISSING,
                            ("cannot %s: %s does not exist; create the bucket or fix the"
                                            + " repository's bucket name")
                                    .formatted(action, where),
                            failure);
                case "InvalidAccessKeyId":
                case "SignatureDoesNotMatch":
                case "InvalidToken":
                case "ExpiredToken":
                case "InvalidClientTokenId":
                    return new ArtifactRepositoryException(
                            Reason.WRONG_CREDENTIALS,
                            ("cannot %s: %s rejected the credentials (%s); check the"
                                            + " access and secret key Secrets")
                                    .formatted(action, where, code),
                            failure);
                case "AccessDenied":
                case "AllAccessDisabled":
                    return new ArtifactRepositoryException(
                            Reason.ACCESS_DENIED,
                            ("cannot %s: access denied by %s; the credentials need"
                                            + " s3:GetObject and s3:PutObject there")
                                    .formatted(action, where),
                            failure);
                default:
                    return new ArtifactRepositoryException(
                            Reason.FAILED,
                            "cannot %s: %s answered %s (%s)"
                                    .formatted(
                                            action,
                                            where,
                                            code,
                                            response.errorResponse().message()),
                            failure);
            }
        }
        if (find(failure, UnknownHostException.class) != null
                || find(failure, ConnectException.class) != null
                || find(failure, NoRouteToHostException.class) != null
                || find(failure, InterruptedIOException.class) != null
                || find(failure, SSLException.class) != null) {
            return new ArtifactRepositoryException(
                    Reason.UNREACHABLE,
                    ("cannot %s: %s is unreachable (%s); check the endpoint, the"
                                    + " insecure flag and the network")
                            .formatted(action, where, rootCause(failure)),
                    failure);
        }
        if (find(failure, ProviderException.class) != null) {
            return new ArtifactRepositoryException(
                    Reason.WRONG_CREDENTIALS,
                    "cannot %s: no S3 credentials found for %s (%s)"
                            .formatted(action, where, rootCause(failure)),
                    failure);
        }
        return new ArtifactRepositoryException(
                Reason.FAILED,
                "cannot %s in %s: %s".formatted(action, where, rootCause(failure)),
                failure);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String name = root.getClass().getSimpleName();
        return root.getMessage() == null ? name : "%s: %s".formatted(name, root.getMessage());
    }
}
