package io.argowasm.cli;

import io.argowasm.module.ModuleLoadException;
import io.argowasm.module.ModuleSourcePolicy;
import io.argowasm.module.oci.OciPusher;
import io.argowasm.module.oci.OciReference;
import io.argowasm.module.oci.RegistryClient;
import io.argowasm.module.oci.RegistryCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes a module to an OCI registry, in the layout {@code module.oci} pulls. */
@Command(
        name = "push",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Publish a module to an OCI registry: an OCI image manifest with the CNCF wasm config"
                    + " (application/vnd.wasm.config.v0+json) and one"
                    + " application/vnd.wasm.content.layer.v1+wasm layer, as wasm-to-oci and"
                    + " Kubewarden read it.",
            "Prints the manifest digest and a module: block to paste into a template. The login"
                    + " comes from --username/--password-stdin, else --registry-config or"
                    + " ~/.docker/config.json."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:pushed", "1:the registry refused the push", "2:invalid usage"})
final class PushCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.wasm", description = "The core module to push.")
    Path file;

    @Parameters(
            index = "1",
            paramLabel = "REF",
            description = "REGISTRY/REPOSITORY[:TAG], e.g. ghcr.io/team/greet:v1 (tag: latest).")
    String reference;

    @Option(names = Flags.USERNAME, description = "The registry user; with --password-stdin.")
    String username;

    @Option(
            names = Flags.PASSWORD_STDIN,
            description = "Read the password (or token) for --username from standard input.")
    boolean passwordStdin;

    @Option(
            names = Flags.REGISTRY_CONFIG,
            paramLabel = "FILE",
            description =
                    "A Docker config file whose auths give the login. Default:"
                            + " ~/.docker/config.json, if present.")
    Path registryConfig;

    @Option(
            names = Flags.ALLOW_INSECURE_REGISTRIES,
            split = ",",
            paramLabel = "HOST",
            description = "Registries (host or host:port) reached over plain http. Default: none.")
    List<String> insecureRegistries;

    /** Where the password comes from; replaced in tests. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OciReference ref;
        try {
            ref = OciReference.parse(reference);
        } catch (IllegalArgumentException e) {
            err.println("error: %s".formatted(e.getMessage().replace("module.oci", "REF")));
            return Main.USAGE;
        }
        if ((username != null) != passwordStdin) {
            err.println(
                    "error: %s and %s go together".formatted(Flags.USERNAME, Flags.PASSWORD_STDIN));
            return Main.USAGE;
        }
        if (!Files.isRegularFile(file)) {
            err.println("error: module file %s does not exist".formatted(file));
            return Main.USAGE;
        }
        RegistryCredentials credentials;
        if (username != null) {
            String password = new String(stdin.readAllBytes(), StandardCharsets.UTF_8).strip();
            credentials =
                    RegistryCredentials.of(
                            ref.registry(), new RegistryCredentials.Login(username, password));
        } else {
            Path config =
                    registryConfig != null
                            ? registryConfig
                            : Path.of(System.getProperty("user.home"), ".docker", "config.json");
            credentials =
                    registryConfig != null || Files.isRegularFile(config)
                            ? RegistryCredentials.read(config)
                            : RegistryCredentials.none();
        }
        Set<String> insecure = new HashSet<>();
        if (insecureRegistries != null) {
            insecureRegistries.forEach(h -> insecure.add(h.trim().toLowerCase(Locale.ROOT)));
        }
        RegistryClient client =
                new RegistryClient(
                        ModuleSourcePolicy.local(), insecure, credentials, Duration.ofSeconds(60));
        OciPusher.Pushed pushed;
        try {
            pushed =
                    new OciPusher(client)
                            .push(ref, Files.readAllBytes(file), file.getFileName().toString());
        } catch (ModuleLoadException e) {
            err.println("error: %s".formatted(e.getMessage()));
            return Main.STEP_FAILED;
        }
        OciReference pinned = pushed.reference();
        out.println("pushed %s".formatted(ref));
        out.println("digest: %s".formatted(pinned.digest()));
        out.println();
        out.println("module:");
        out.println("  oci: %s".formatted(pinned));
        out.println("  sha256: %s".formatted(pushed.layerSha256()));
        out.flush();
        return Main.OK;
    }
}
