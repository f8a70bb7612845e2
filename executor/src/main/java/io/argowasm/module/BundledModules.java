package io.argowasm.module;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The example modules shipped inside the plugin (resources under {@code modules/}), by name. The
 * plugin offers them to its {@link ModuleStore} by digest, so the examples' pinned URLs are served
 * without a fetch, on a laptop and in a cluster alike.
 */
public final class BundledModules {

    private static final String ROOT = "modules/";

    private final Map<String, byte[]> byName;

    private BundledModules(Map<String, byte[]> byName) {
        this.byName = byName;
    }

    /** Reads the bundled modules from the plugin's jar or classes directory. */
    public static BundledModules load() {
        Map<String, byte[]> found = new LinkedHashMap<>();
        CodeSource source = BundledModules.class.getProtectionDomain().getCodeSource();
        try {
            Path location = Path.of(source.getLocation().toURI());
            if (Files.isDirectory(location)) {
                readDirectory(location.resolve(ROOT), found);
            } else {
                readJar(location, found);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the plugin's bundled modules could not be read", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the plugin's location is not a file", e);
        }
        return new BundledModules(found);
    }

    /** Offers every bundled module to a store, by digest. */
    public void offerTo(ModuleStore store) {
        byName.values().forEach(bytes -> store.offer(Digests.sha256(bytes), () -> bytes));
    }

    /** The bytes of a bundled module, by its file name without {@code .wasm}. */
    public byte[] bytes(String name) {
        byte[] bytes = byName.get(name);
        if (bytes == null) {
            throw new IllegalArgumentException(
                    "no bundled module named '%s'; bundled: %s".formatted(name, byName.keySet()));
        }
        return bytes;
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }

    private static void readDirectory(Path root, Map<String, byte[]> found) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (file.toString().endsWith(".wasm")) {
                    found.put(name(file.getFileName().toString()), Files.readAllBytes(file));
                }
            }
        }
    }

    private static void readJar(Path jar, Map<String, byte[]> found) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().startsWith(ROOT) && entry.getName().endsWith(".wasm")) {
                    try (InputStream in = file.getInputStream(entry)) {
                        String base =
                                entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                        found.put(name(base), in.readAllBytes());
                    }
                }
            }
        }
    }

    private static String name(String fileName) {
        return fileName.substring(0, fileName.length() - ".wasm".length());
    }
}
