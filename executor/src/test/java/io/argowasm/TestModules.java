package io.argowasm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built guest modules the tests run (test guests and the examples) and Argo's request bodies,
 * shared by the tests of every module: each module's tests run in its own directory, a sibling of
 * {@code executor/}.
 */
public final class TestModules {

    private static final Path TEST_WASM = Path.of("../executor/src/test/resources/wasm");
    private static final Path ARGO_FIXTURES =
            Path.of("../executor/src/test/resources/fixtures/argo");
    private static final Path EXAMPLES = Path.of("../examples/modules");

    private TestModules() {}

    /** A request body as Argo's agent posts it, e.g. {@code wasm-parameters.json}. */
    public static Path argoFixture(String name) {
        return existing(ARGO_FIXTURES.resolve(name));
    }

    /** A test guest from {@code executor/src/test/resources/wasm}, e.g. {@code echo}. */
    public static Path test(String name) {
        return existing(TEST_WASM.resolve(name + ".wasm"));
    }

    /** An example module, e.g. {@code greet/greet}. */
    public static Path example(String relative) {
        return existing(EXAMPLES.resolve(relative + ".wasm"));
    }

    public static byte[] bytes(Path module) {
        try {
            return Files.readAllBytes(module);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(
                    p.toAbsolutePath() + " is missing; run examples/modules/build.sh");
        }
        return p.toAbsolutePath().normalize();
    }
}
