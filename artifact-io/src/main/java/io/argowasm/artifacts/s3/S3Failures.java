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
                            "input artifact '"
                                    + artifact
                                    + "' does not exist: no key '"
                                    + key
                                    + "' in "
                                    + where);
                case "NoSuchBucket":
                    return new ArtifactRepositoryException(
                            Reason.BUCKET_MISSING,
                            "cannot "
                                    + action
                                    + ": "
                                    + where
                                    + " does not exist; create the bucket"
                                    + " or fix the repository's bucket name",
                            failure);
                case "InvalidAccessKeyId":
                case "SignatureDoesNotMatch":
                case "InvalidToken":
                case "ExpiredToken":
                case "InvalidClientTokenId":
                    return new ArtifactRepositoryException(
                            Reason.WRONG_CREDENTIALS,
                            "cannot "
                                    + action
                                    + ": "
                                    + where
                                    + " rejected the credentials ("
                                    + code
                                    + "); check the access and secret key Secrets",
                            failure);
                case "AccessDenied":
                case "AllAccessDisabled":
                    return new ArtifactRepositoryException(
                            Reason.ACCESS_DENIED,
                            "cannot "
                                    + action
                                    + ": access denied by "
                                    + where
                                    + "; the credentials need s3:GetObject and s3:PutObject"
                                    + " there",
                            failure);
                default:
                    return new ArtifactRepositoryException(
                            Reason.FAILED,
                            "cannot "
                                    + action
                                    + ": "
                                    + where
                                    + " answered "
                                    + code
                                    + " ("
                                    + response.errorResponse().message()
                                    + ")",
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
                    "cannot "
                            + action
                            + ": "
                            + where
                            + " is unreachable ("
                            + rootCause(failure)
                            + "); check the endpoint, the insecure flag and the network",
                    failure);
        }
        if (find(failure, ProviderException.class) != null) {
            return new ArtifactRepositoryException(
                    Reason.WRONG_CREDENTIALS,
                    "cannot "
                            + action
                            + ": no S3 credentials found for "
                            + where
                            + " ("
                            + rootCause(failure)
                            + ")",
                    failure);
        }
        return new ArtifactRepositoryException(
                Reason.FAILED,
                "cannot " + action + " in " + where + ": " + rootCause(failure),
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
        return root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
