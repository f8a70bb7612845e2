package io.argowasm.wapc;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.module.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiled code kept on disk by module digest, loaded again by a later compilation. */
class CompileCacheTest {

    @TempDir Path root;

    private static String echoThrough(WapcModule module, String payload) throws Exception {
        WapcInstance instance =
                WapcInstance.create(
                        module, InstanceLimits.ofMemory(1 << 20), GuestOutput.keeping(1));
        return new String(
                instance.call(
                        "any",
                        payload.getBytes(StandardCharsets.UTF_8),
                        HostBindings.NONE,
                        GuestOutput.keeping(1)),
                StandardCharsets.UTF_8);
    }

    private static byte[] echoBytes() {
        return TestModules.bytes(TestModules.test("echo"));
    }

    private static String chicoryKey(byte[] moduleBytes) {
        return "sha-256:"
                + Base64.getEncoder()
                        .encodeToString(HexFormat.of().parseHex(Digests.sha256(moduleBytes)));
    }

    @Test
    void compilingStoresOneEntryNamedByTheModuleDigestUnderTheChicoryVersion() throws Exception {
        byte[] bytes = echoBytes();
        CompileCache cache = CompileCache.open(root);

        WapcModule.compile(bytes, Digests.sha256(bytes), cache);

        assertThat(cache.directory().getParent()).isEqualTo(root);
        assertThat(cache.directory().getFileName().toString())
                .matches("chicory-\\d+\\.\\d+\\.\\d+.*");
        try (Stream<Path> entries = Files.list(cache.directory())) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .containsExactly(Digests.sha256(bytes) + ".jar");
        }
    }

    @Test
    void aModuleCompiledFromItsCacheEntryAnswersCalls() throws Exception {
        byte[] bytes = echoBytes();
        WapcModule.compile(bytes, Digests.sha256(bytes), CompileCache.open(root));

        CompileCache reopened = CompileCache.open(root);
        assertThat(reopened.get(chicoryKey(bytes))).isNotNull();
        WapcModule fromCache = WapcModule.compile(bytes, Digests.sha256(bytes), reopened);

        assertThat(echoThrough(fromCache, "{\"parameters\":{}}")).isEqualTo("{\"parameters\":{}}");
    }

    @Test
    void aDamagedEntryIsAMissAndIsWrittenAgain() throws Exception {
        byte[] bytes = echoBytes();
        CompileCache cache = CompileCache.open(root);
        WapcModule.compile(bytes, Digests.sha256(bytes), cache);
        Path entry = cache.entry(chicoryKey(bytes));
        byte[] stored = Files.readAllBytes(entry);
        stored[stored.length / 2] ^= 0x55;
        Files.write(entry, stored);

        assertThat(cache.get(chicoryKey(bytes))).isNull();
        assertThat(entry).doesNotExist();

        WapcModule recompiled = WapcModule.compile(bytes, Digests.sha256(bytes), cache);
        assertThat(echoThrough(recompiled, "again")).isEqualTo("again");
        assertThat(cache.get(chicoryKey(bytes))).isNotNull();
    }

    @Test
    void aTruncatedEntryIsAMiss() throws Exception {
        CompileCache cache = CompileCache.open(root);
        String key = chicoryKey(echoBytes());
        Files.write(cache.entry(key), new byte[] {1, 2, 3});

        assertThat(cache.get(key)).isNull();
    }

    @Test
    void storedCodeReadsBackUnchangedAndIsNeverReplaced() throws Exception {
        CompileCache cache = CompileCache.open(root);
        byte[] first = "first code".getBytes(StandardCharsets.UTF_8);

        cache.putIfAbsent("some-other-key", first);
        cache.putIfAbsent("some-other-key", "second code".getBytes(StandardCharsets.UTF_8));

        assertThat(cache.get("some-other-key")).isEqualTo(first);
        assertThat(cache.get("a-key-never-stored")).isNull();
        try (Stream<Path> files = Files.list(cache.directory())) {
            assertThat(files).as("no temporary file is left behind").hasSize(1);
        }
    }
}
