package io.argowasm.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the agent's bearer token against the token file Argo mounts into the sidecar, in constant
 * time. The file's content is read again at most once a second and compared with what was read
 * before, so a replaced token is noticed whatever the file's modification time says.
 */
public final class TokenCheck {

    private static final Logger log = LoggerFactory.getLogger(TokenCheck.class);
    private static final Duration RECHECK = Duration.ofSeconds(1);
    private static final String SCHEME = "Bearer";

    /** A larger file is not a token file; Argo's tokens are tens of characters. */
    private static final int MAX_FILE_BYTES = 64 * 1024;

    private final Path file;
    private final long recheckNanos;
    private volatile byte[] expected;
    private volatile byte[] content;
    private volatile long checkedAtNanos = System.nanoTime();

    private TokenCheck(Path file, byte[] content, byte[] expected, Duration recheck) {
        this.file = file;
        this.content = content;
        this.expected = expected;
        this.recheckNanos = recheck.toNanos();
    }

    /** Accepts every request; for local use only, chosen explicitly with {@code --no-auth}. */
    public static TokenCheck disabled() {
        return new TokenCheck(null, null, null, RECHECK);
    }

    /**
     * Reads the token file.
     *
     * @throws IOException with a message naming the file when it is missing, empty, too large or
     *     not UTF-8 text
     */
    public static TokenCheck fromFile(Path file) throws IOException {
        return fromFile(file, RECHECK);
    }

    /** Reads the token file and reads it again at most once per {@code recheck}. */
    static TokenCheck fromFile(Path file, Duration recheck) throws IOException {
        byte[] content;
        try {
            content = readBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(
                    ("token file %s does not exist; Argo's agent writes it into the sidecar. Pass"
                                    + " %s PATH, or %s for local use only")
                            .formatted(file, ServerFlags.TOKEN_FILE, ServerFlags.NO_AUTH),
                    e);
        }
        return new TokenCheck(file, content, token(file, content), recheck);
    }

    /** A fixed token, for an in-process server whose caller knows it. */
    public static TokenCheck of(String token) {
        return new TokenCheck(null, null, token.getBytes(StandardCharsets.UTF_8), RECHECK);
    }

    /**
     * Whether an {@code Authorization} header carries the token. The scheme's case does not matter
     * (RFC 7235), so {@code bearer} and {@code BEARER} are as good as {@code Bearer}.
     */
    public boolean accepts(String authorization) {
        if (file == null && expected == null) {
            return true;
        }
        refresh();
        if (authorization == null
                || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || authorization.charAt(SCHEME.length()) != ' ') {
            return false;
        }
        byte[] given =
                authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }

    /**
     * Reads the file again at most once per recheck period, so most requests cost no file system
     * call. A file that cannot be read, or holds no valid token, keeps the token we have: a file
     * being replaced is briefly absent or empty.
     */
    private void refresh() {
        long now = System.nanoTime();
        if (file == null || now - checkedAtNanos < recheckNanos) {
            return;
        }
        checkedAtNanos = now;
        byte[] current;
        try {
            current = readBytes(file);
        } catch (IOException e) {
            return;
        }
        if (Arrays.equals(current, content)) {
            return;
        }
        content = current;
        try {
            expected = token(file, current);
        } catch (IOException e) {
            log.warn("keeping the previous token: {}", e.getMessage());
        }
    }

    private static byte[] readBytes(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IOException(
                        ("token file %s is larger than %d bytes, which no token is; check that"
                                        + " %s names the file Argo's agent writes")
                                .formatted(file, MAX_FILE_BYTES, ServerFlags.TOKEN_FILE));
            }
            return bytes;
        }
    }

    /** The token a file's content holds: its text without surrounding white space. */
    private static byte[] token(Path file, byte[] content) throws IOException {
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(content))
                            .toString()
                            .trim();
        } catch (CharacterCodingException e) {
            throw new IOException(
                    ("token file %s is not UTF-8 text, so it holds no token a request could carry;"
                                    + " check that %s names the file Argo's agent writes")
                            .formatted(file, ServerFlags.TOKEN_FILE),
                    e);
        }
        if (text.isEmpty()) {
            throw new IOException("token file %s is empty".formatted(file));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
