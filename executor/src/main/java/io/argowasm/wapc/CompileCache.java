package io.argowasm.wapc;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled guest code kept on disk, so a restarted sidecar loads a module's classes instead of
 * compiling the module again. Entries live in a directory per Chicory version (code from one
 * version is no use to another), are named by the module's sha256, are written to a temporary file
 * and moved into place atomically, and start with a checksum of their content, so a damaged entry
 * is a miss that gets rewritten, never a failed step.
 *
 * <p>The directory must be writable by the sidecar alone: its content becomes code the sidecar
 * runs.
 */
public final class CompileCache implements Cache {

    private static final Logger log = LoggerFactory.getLogger(CompileCache.class);

    private static final String CHICORY_POM =
            "/META-INF/maven/com.dylibso.chicory/compiler/pom.properties";
    private static final String SHA256_KEY_PREFIX = "sha-256:";
    private static final int CHECKSUM_BYTES = 32;

    private final Path directory;

    private CompileCache(Path directory) {
        this.directory = directory;
    }

    /**
     * Opens (and creates if needed) the cache under a root directory.
     *
     * @throws UncheckedIOException when the directory cannot be created
     */
    public static CompileCache open(Path root) {
        Path directory = root.resolve("chicory-" + chicoryVersion());
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    ("the compile cache directory %s could not be created (%s); point %s at a"
                                    + " writable directory")
                            .formatted(directory, e, HostFlags.COMPILE_CACHE),
                    e);
        }
        return new CompileCache(directory);
    }

    /** Where this cache keeps its entries. */
    public Path directory() {
        return directory;
    }

    /** Whether an entry is stored for a key; it may still turn out damaged when read. */
    boolean holds(String key) {
        return Files.isRegularFile(entry(key));
    }

    @Override
    public byte[] get(String key) {
        Path entry = entry(key);
        byte[] stored;
        try {
            stored = Files.readAllBytes(entry);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            log.warn("compile cache entry {} could not be read, compiling instead: {}", entry, e);
            return null;
        }
        if (stored.length < CHECKSUM_BYTES
                || !Arrays.equals(
                        sha256(stored, CHECKSUM_BYTES, stored.length - CHECKSUM_BYTES),
                        0,
                        CHECKSUM_BYTES,
                        stored,
                        0,
                        CHECKSUM_BYTES)) {
            log.warn("compile cache entry {} is damaged, compiling again", entry);
            delete(entry);
            return null;
        }
        return Arrays.copyOfRange(stored, CHECKSUM_BYTES, stored.length);
    }

    @Override
    public void putIfAbsent(String key, byte[] code) {
        Path entry = entry(key);
        if (Files.exists(entry)) {
            return;
        }
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, entry.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                out.write(sha256(code, 0, code.length));
                out.write(code);
            }
            moveIntoPlace(temporary, entry);
        } catch (IOException e) {
            log.warn("compiled code could not be written to the compile cache {}: {}", entry, e);
            if (temporary != null) {
                delete(temporary);
            }
        }
    }

    private static void moveIntoPlace(Path temporary, Path entry) throws IOException {
        try {
            Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Same directory, so this only happens on unusual file systems; a reader may then
            // briefly see no entry, never a partial one, because the checksum guards it.
            Files.move(temporary, entry, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The entry for a key. Chicory keys compiled code by the digest its parser took of the module
     * bytes, as {@code sha-256:<base64>}, so entries carry the module's sha256 in hex, as the
     * plugin's logs name modules; any other key is hashed into a name.
     */
    Path entry(String key) {
        String name;
        if (key.startsWith(SHA256_KEY_PREFIX)) {
            name =
                    HexFormat.of()
                            .formatHex(
                                    Base64.getDecoder()
                                            .decode(key.substring(SHA256_KEY_PREFIX.length())));
        } else {
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            name = "key-" + HexFormat.of().formatHex(sha256(bytes, 0, bytes.length));
        }
        return directory.resolve(name + ".jar");
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", file, e);
        }
    }

    private static byte[] sha256(byte[] bytes, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, offset, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private static String chicoryVersion() {
        try (InputStream in = MachineFactoryCompiler.class.getResourceAsStream(CHICORY_POM)) {
            if (in == null) {
                throw new IllegalStateException(
                        ("the Chicory compiler's version is unknown (%s is missing from the"
                                        + " plugin), so cached code could not be told apart from"
                                        + " another version's; run without %s")
                                .formatted(CHICORY_POM, HostFlags.COMPILE_CACHE));
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("the Chicory compiler's version could not be read", e);
        }
    }
}
