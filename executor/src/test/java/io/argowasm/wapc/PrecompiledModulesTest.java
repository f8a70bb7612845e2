package io.argowasm.wapc;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.module.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The bundled example modules load from the classes the build compiled for them, and behave as the
 * same modules compiled at run time; a module that differs by one byte does not use them.
 */
class PrecompiledModulesTest {

    private static final String GREET_STEP =
            "{\"parameters\":{\"text\":\"hello\"},\"options\":{\"style\":\"loud\"}}";
    private static final String SHOUT_STEP = "{\"parameters\":{\"text\":\"hey\"}}";

    /** The module with a custom section appended: the same code, another digest. */
    private static byte[] withNonce(byte[] module) {
        byte[] section = {0, 7, 5, 'n', 'o', 'n', 'c', 'e', 1};
        byte[] changed = Arrays.copyOf(module, module.length + section.length);
        System.arraycopy(section, 0, changed, module.length, section.length);
        return changed;
    }

    private static String call(WapcModule module, String operation, String payload)
            throws Exception {
        WapcInstance instance =
                WapcInstance.create(
                        module, InstanceLimits.ofMemory(16 << 20), GuestOutput.keeping(10));
        return new String(
                instance.call(
                        operation,
                        payload.getBytes(StandardCharsets.UTF_8),
                        HostBindings.NONE,
                        GuestOutput.keeping(10)),
                StandardCharsets.UTF_8);
    }

    private static WasiCommand.Exit run(WapcModule module, String stdin) throws Exception {
        return WasiCommand.run(
                module,
                InstanceLimits.ofMemory(16 << 20),
                new WasiProcess(
                        List.of("shout", "3"),
                        Map.of("SHOUT_MARK", "?"),
                        stdin.getBytes(StandardCharsets.UTF_8),
                        null),
                HostBindings.NONE,
                GuestOutput.keeping(10));
    }

    private static WapcModule compile(byte[] bytes) throws InvalidModuleException {
        return WapcModule.compile(bytes, Digests.sha256(bytes));
    }

    @Test
    void aBundledWapcGuestLoadsFromTheBuildsClassesAndAnswersAsTheRuntimeCompiledOne()
            throws Exception {
        byte[] greet = TestModules.bytes(TestModules.example("greet/greet"));

        WapcModule precompiled = compile(greet);
        WapcModule compiledHere = compile(withNonce(greet));

        assertThat(precompiled.precompiled()).isTrue();
        assertThat(compiledHere.precompiled()).isFalse();
        assertThat(call(precompiled, "greet", GREET_STEP))
                .contains("\"greeting\":\"HELLO\"")
                .isEqualTo(call(compiledHere, "greet", GREET_STEP));
        assertThat(precompiled.kind(null)).isEqualTo(ModuleKind.WAPC);
        assertThat(precompiled.declaredMemory()).isEqualTo(compiledHere.declaredMemory());
    }

    @Test
    void aBundledWasiCommandRunsFromTheBuildsClassesAsTheRuntimeCompiledOne() throws Exception {
        byte[] shout = TestModules.bytes(TestModules.example("shout/shout"));

        WapcModule precompiled = compile(shout);
        WapcModule compiledHere = compile(withNonce(shout));

        assertThat(precompiled.precompiled()).isTrue();
        assertThat(precompiled.kind(null)).isEqualTo(ModuleKind.WASI);
        WasiCommand.Exit fromBuild = run(precompiled, SHOUT_STEP);
        WasiCommand.Exit fromHere = run(compiledHere, SHOUT_STEP);
        assertThat(fromBuild.exitCode()).isZero().isEqualTo(fromHere.exitCode());
        assertThat(new String(fromBuild.stdout(), StandardCharsets.UTF_8))
                .contains("HEY???")
                .isEqualTo(new String(fromHere.stdout(), StandardCharsets.UTF_8));
    }

    @Test
    void aModuleWithAnotherDigestHasNoCompiledFormEvenWhenTheCallerNamesABundledOne() {
        byte[] greet = TestModules.bytes(TestModules.example("greet/greet"));
        byte[] changed = greet.clone();
        changed[changed.length - 1] ^= 1;

        assertThat(PrecompiledModules.matching(greet, Digests.sha256(greet))).isPresent();
        assertThat(PrecompiledModules.matching(changed, Digests.sha256(changed))).isEmpty();
        assertThat(PrecompiledModules.matching(changed, Digests.sha256(greet))).isEmpty();
    }

    @Test
    void everyBundledModuleLoadsFromTheBuildsClasses() throws Exception {
        Path examples = TestModules.example("greet/greet").getParent().getParent();
        List<Path> shipped;
        try (Stream<Path> files = Files.walk(examples)) {
            shipped =
                    files.filter(f -> f.toString().endsWith(".wasm"))
                            .filter(f -> !f.toString().contains("node_modules"))
                            .sorted()
                            .toList();
        }

        assertThat(shipped.stream().map(PrecompiledModulesTest::name))
                .containsExactlyInAnyOrderElementsOf(PrecompiledModules.NAMES);
        for (Path module : shipped) {
            assertThat(compile(Files.readAllBytes(module)).precompiled())
                    .as("%s loads from the build's classes", module.getFileName())
                    .isTrue();
        }
    }

    private static String name(Path module) {
        String file = module.getFileName().toString();
        return file.substring(0, file.length() - ".wasm".length());
    }
}
