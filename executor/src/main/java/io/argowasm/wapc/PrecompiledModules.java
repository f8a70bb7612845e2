package io.argowasm.wapc;

import com.dylibso.chicory.runtime.CompiledModule;
import io.argowasm.wapc.bundled.FerrisSays;
import io.argowasm.wapc.bundled.Greet;
import io.argowasm.wapc.bundled.RustStats;
import io.argowasm.wapc.bundled.Shout;
import io.argowasm.wapc.bundled.Textstats;
import io.argowasm.wapc.bundled.Wordcount;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The bundled example modules as the build compiled them ({@code chicory-compiler-maven-plugin} in
 * {@code executor/pom.xml}): for each, JVM classes for its code and the module without its code
 * bodies, with the sha256 of the bundled bytes ({@code bundled/digests.properties}). A module with
 * that sha256 is loaded from these, with neither a parse of its code nor code generation; any other
 * module, whatever its name, is compiled as it comes.
 */
final class PrecompiledModules {

    /** Every bundled module the build compiles, by its file name without {@code .wasm}. */
    static final List<String> NAMES =
            List.of("greet", "wordcount", "textstats", "shout", "rust-stats", "ferris-says");

    private static final String DIGESTS = "bundled/digests.properties";

    private PrecompiledModules() {}

    /** The names of the bundled modules by their sha256, read once, on the first use. */
    private static final class Index {
        static final Map<String, String> NAME_BY_DIGEST = read();

        private static Map<String, String> read() {
            Properties digests = new Properties();
            try (InputStream in = PrecompiledModules.class.getResourceAsStream(DIGESTS)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "%s is missing from the plugin's classes; rebuild the plugin"
                                    .formatted(DIGESTS));
                }
                digests.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(DIGESTS + " could not be read", e);
            }
            Map<String, String> names = new HashMap<>();
            for (String name : NAMES) {
                String digest = digests.getProperty(name);
                if (digest == null) {
                    throw new IllegalStateException(
                            "%s names no sha256 for %s; rebuild the plugin"
                                    .formatted(DIGESTS, name));
                }
                names.put(digest, name);
            }
            return Map.copyOf(names);
        }
    }

    /**
     * The compiled form of the bundled module with these bytes, if there is one. {@code digest} is
     * what the caller says is their sha256: it picks the candidate, and only a candidate's bytes
     * are hashed to confirm it, so a module that is not bundled costs one lookup.
     */
    static Optional<CompiledModule> matching(byte[] bytes, String digest) {
        String name = Index.NAME_BY_DIGEST.get(digest);
        if (name == null || !digest.equals(sha256(bytes))) {
            return Optional.empty();
        }
        return Optional.of(compiled(name));
    }

    private static CompiledModule compiled(String name) {
        return switch (name) {
            case "greet" -> new Greet();
            case "wordcount" -> new Wordcount();
            case "textstats" -> new Textstats();
            case "shout" -> new Shout();
            case "rust-stats" -> new RustStats();
            case "ferris-says" -> new FerrisSays();
            default -> throw new IllegalStateException("no compiled form of " + name);
        };
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
