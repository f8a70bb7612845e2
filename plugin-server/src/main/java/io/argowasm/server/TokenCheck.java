package io.argowasm.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Checks the agent's bearer token against the token file Argo mounts into the sidecar, in constant
 * time. The file is read again when it changes.
 */
public final class TokenCheck {

    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final Path file;
    private volatile byte[] expected;
    private volatile FileTime readAt;
    private final long recheckNanos;
    private volatile long checkedAtNanos = System.nanoTime();

    private TokenCheck(Path file, byte[] expected, FileTime readAt, Duration recheck) {
        this.recheckNanos = recheck.toNanos();
        this.file = file;
        this.expected = expected;
        this.readAt = readAt;
    }

    /** Accepts every request; for local use only, chosen explicitly with {@code --no-auth}. */
    public static TokenCheck disabled() {
        return new TokenCheck(null, null, null, RECHECK);
    }

    /**
     * Reads the token file.
     *
     * @throws IOException with a message naming the file when it is missing or empty
     */
    public static TokenCheck fromFile(Path file) throws IOException {
        return fromFile(file, RECHECK);
    }

    /** Reads the token file and looks for changes at most once per {@code recheck}. */
    static TokenCheck fromFile(Path file, Duration recheck) throws IOException {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            return new TokenCheck(file, read(file), modified, recheck);
        } catch (NoSuchFileException e) {
            throw new IOException(
                    "token file "
                            + file
                            + " does not exist; Argo's agent writes it into the sidecar. Pass"
                            + " --token-file PATH, or --no-auth for local use only",
                    e);
        }
    }

    /** A fixed token, for an in-process server whose caller knows it. */
    public static TokenCheck of(String token) {
        return new TokenCheck(null, token.getBytes(StandardCharsets.UTF_8), null, RECHECK);
    }

    /** Whether an {@code Authorization} header carries the token. */
    public boolean accepts(String authorization) {
        if (file == null && expected == null) {
            return true;
        }
        refresh();
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given =
                authorization.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }

    /** Looks at the file at most once a second, so a request costs no file system call. */
    private void refresh() {
        long now = System.nanoTime();
        if (file == null || now - checkedAtNanos < recheckNanos) {
            return;
        }
        checkedAtNanos = now;
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (!modified.equals(readAt)) {
                expected = read(file);
                readAt = modified;
            }
        } catch (IOException e) {
            // Keep the token we have: a file being replaced is briefly absent.
        }
    }

    private static byte[] read(Path file) throws IOException {
        String token = Files.readString(file).trim();
        if (token.isEmpty()) {
            throw new IOException("token file " + file + " is empty");
        }
        return token.getBytes(StandardCharsets.UTF_8);
    }
}
