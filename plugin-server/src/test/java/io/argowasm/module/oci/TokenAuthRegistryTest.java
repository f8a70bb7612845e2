package io.argowasm.module.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.module.Digests;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleRef;
import io.argowasm.module.ModuleSourcePolicy;
import io.argowasm.module.ModuleStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry under token auth, as ghcr.io, Docker Hub and Harbor run: Debian's docker-registry
 * trusting the tokens of an in-test token service. A login goes to the token service, never to the
 * registry; tokens are kept per login.
 */
class TokenAuthRegistryTest {

    private static final long MAX = 64L << 20;

    @TempDir static Path dir;
    private static TokenServer tokens;
    private static LocalRegistry registry;
    private static byte[] greet;
    private static Path config;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(LocalRegistry.available(), "docker-registry is not installed");
        tokens = TokenServer.start(Files.createDirectories(dir.resolve("tokens")));
        registry =
                LocalRegistry.startWithTokens(
                        Files.createDirectories(dir.resolve("registry")), tokens);
        greet = TestModules.bytes(TestModules.example("greet/greet"));
        config = dockerConfig(dir.resolve("config.json"), TokenServer.PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    static Path dockerConfig(Path file, String password) throws Exception {
        String auth =
                Base64.getEncoder()
                        .encodeToString(
                                (TokenServer.USER + ":" + password)
                                        .getBytes(StandardCharsets.UTF_8));
        return Files.writeString(
                file,
                "{\"auths\": {\"%s\": {\"auth\": \"%s\"}}}".formatted(registry.address(), auth));
    }

    private static ModuleStore store(RegistryCredentials credentials) {
        RegistryClient client =
                new RegistryClient(
                        ModuleSourcePolicy.local(),
                        Set.of("127.0.0.1"),
                        credentials,
                        Duration.ofSeconds(30));
        return new ModuleStore(
                new ModuleFetcher(
                        MAX,
                        Duration.ofSeconds(30),
                        ModuleSourcePolicy.local(),
                        new OciModules(client, MAX, null)),
                MAX,
                8);
    }

    private static void push(String repository) throws Exception {
        Path file = Files.write(dir.resolve("greet.wasm"), greet);
        OciRegistryTest.Result pushed =
                OciRegistryTest.cli(
                        "push",
                        file.toString(),
                        registry.address() + "/" + repository,
                        "--registry-config",
                        config.toString(),
                        "--allow-insecure-registries",
                        "127.0.0.1");
        assertThat(pushed.exitCode()).as(pushed.err()).isZero();
    }

    @Test
    void aLoginGetsATokenThatPullsAndIsKeptForTheNextPull() throws Exception {
        push("team/token:v1");
        push("team/token:v2");
        ModuleStore store = store(RegistryCredentials.read(config));
        OciReference ref = OciReference.parse(registry.address() + "/team/token:v1");
        int before = tokens.issued();
        assertThat(store.load(ModuleRef.ofOci(ref, null)).digest())
                .isEqualTo(Digests.sha256(greet));
        int afterFirst = tokens.issued();
        assertThat(afterFirst - before).as("one token for manifest and blob").isEqualTo(1);

        // Another tag of the repository is resolved with the token kept for this login and scope.
        store.load(ModuleRef.ofOci(ref.withTag("v2"), null));
        assertThat(tokens.issued()).isEqualTo(afterFirst);
    }

    @Test
    void aStepsLoginComesBeforeTheConfigAndItsTokenIsItsOwn() throws Exception {
        push("team/steps:v1");
        ModuleStore store = store(RegistryCredentials.none());
        OciReference ref = OciReference.parse(registry.address() + "/team/steps:v1");
        RegistryLogins login = () -> RegistryCredentials.read(config);
        assertThat(store.load(ModuleRef.ofOci(ref, null), login).digest())
                .isEqualTo(Digests.sha256(greet));

        // Another step without a login does not borrow the token the first one got.
        push("team/steps:v2");
        assertThatThrownBy(
                        () ->
                                store.load(
                                        ModuleRef.ofOci(ref.withTag("v2"), null),
                                        RegistryLogins.NONE))
                .hasMessageContaining("refused the anonymous pull (HTTP 401)")
                .hasMessageContaining("team/steps");
    }

    @Test
    void aWrongPasswordIsRefusedByTheTokenServiceNamingTheScope() throws Exception {
        push("team/wrong:v1");
        Path wrong = dockerConfig(dir.resolve("wrong.json"), "not-the-password");
        OciReference ref = OciReference.parse(registry.address() + "/team/wrong:v1");
        assertThatThrownBy(
                        () ->
                                store(RegistryCredentials.read(wrong))
                                        .load(ModuleRef.ofOci(ref, null)))
                .hasMessageContaining("the token service of registry " + registry.address())
                .hasMessageContaining("refused the login's repository:team/wrong:pull token")
                .hasMessageContaining("HTTP 401");
    }

    @Test
    void pushThenRunWithTheLoginFromTheRegistryConfig() throws Exception {
        push("team/run:v1");
        Path template = dir.resolve("token-greet.yaml");
        Files.writeString(
                template,
                """
                name: greet
                inputs:
                  parameters:
                    - name: text
                      default: behind a token
                outputs:
                  parameters:
                    - name: greeting
                plugin:
                  wasm:
                    module:
                      oci: %s/team/run:v1
                      # A cluster's Secret; run uses the registry config's login instead.
                      pullSecret: registry-login
                    operation: greet
                    options: {style: loud}
                """
                        .formatted(registry.address()));
        OciRegistryTest.Result result =
                OciRegistryTest.cli(
                        "run",
                        "--template",
                        template.toString(),
                        "--registry-config",
                        config.toString(),
                        "--allow-insecure-registries",
                        "127.0.0.1");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(
                        Json.mapper()
                                .readTree(result.out())
                                .at("/node/outputs/parameters/0/value")
                                .asString())
                .isEqualTo("BEHIND A TOKEN");
    }

    @Test
    void runTakesARegistryReferenceAsItsModule() throws Exception {
        push("team/flag:v1");
        OciRegistryTest.Result result =
                OciRegistryTest.cli(
                        "run",
                        "--module",
                        "oci://%s/team/flag:v1".formatted(registry.address()),
                        "--operation",
                        "greet",
                        "-p",
                        "text=by reference",
                        "--registry-config",
                        config.toString(),
                        "--allow-insecure-registries",
                        "127.0.0.1");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Json.mapper().readTree(result.out()).at("/node/message").asString())
                .isEqualTo("greeted");
    }
}
