package io.argowasm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Java runtime and the class-data flags a sidecar starts with on it: the build's JDK with and
 * without the CDS archive the build records, and the image's JDK with the AOT cache (or a dynamic
 * CDS archive) recorded as the image records it. Each flag set makes the JVM fail rather than
 * silently start without its archive.
 *
 * @param label how the report names it, e.g. "JDK 25 + AOT cache"
 */
record SidecarJvm(String label, Path javaHome, List<String> flags) {

    private static final Pattern ENTRYPOINT =
            Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*?\\])", Pattern.DOTALL);

    SidecarJvm {
        flags = List.copyOf(flags);
    }

    /** The JDK the harness runs on (the build's), without an archive. */
    static SidecarJvm buildJdk() {
        return new SidecarJvm(
                "JDK %d, no archive".formatted(Runtime.version().feature()),
                buildHome(),
                List.of());
    }

    /** The build's JDK with the CDS archive the build records. */
    static SidecarJvm buildJdkWithCds(BenchSetup setup) {
        return new SidecarJvm(
                "JDK %d + CDS archive".formatted(Runtime.version().feature()),
                buildHome(),
                setup.cdsFlags());
    }

    /** The image's JDK with a dynamic CDS archive it recorded in a training run. */
    static SidecarJvm imageJdkWithCds(BenchSetup setup) throws Exception {
        Path archive = setup.imageArchives().resolve("wasm-executor-plugin.jsa");
        record(setup, List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off"), archive);
        return new SidecarJvm(
                "JDK %d + CDS archive".formatted(feature(setup.imageJdk())),
                setup.imageJdk(),
                List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"));
    }

    /** The image's JDK with the AOT cache it recorded in a training run, as the image does. */
    static SidecarJvm imageJdkWithAotCache(BenchSetup setup) throws Exception {
        return imageJdkWithAotCache(setup, List.of());
    }

    /**
     * The same with JVM options given both to the training run and to the sidecar, as the image
     * would give them: options that change the object layout ({@code -XX:+UseCompactObjectHeaders})
     * need a cache recorded with them.
     */
    static SidecarJvm imageJdkWithAotCache(BenchSetup setup, List<String> options)
            throws Exception {
        String suffix = options.isEmpty() ? "" : "-" + Integer.toHexString(options.hashCode());
        Path cache = setup.imageArchives().resolve("wasm-executor-plugin" + suffix + ".aot");
        List<String> recording = new ArrayList<>(options);
        recording.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-Xlog:aot=off"));
        record(setup, recording, cache);
        List<String> flags = new ArrayList<>(options);
        flags.addAll(List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"));
        flags.addAll(entrypointOptions(setup.repo().resolve("Dockerfile")));
        return new SidecarJvm(
                "JDK %d + AOT cache".formatted(feature(setup.imageJdk())), setup.imageJdk(), flags);
    }

    /**
     * The JVM options the image's entrypoint gives besides its AOT cache, as {@code Dockerfile}
     * spells them: the image's sidecars run with them.
     */
    static List<String> entrypointOptions(Path dockerfile) throws IOException {
        String text = Files.readString(dockerfile).replace("\\\n", " ");
        Matcher entrypoint = ENTRYPOINT.matcher(text);
        if (!entrypoint.find()) {
            throw new IOException("%s has no ENTRYPOINT [...]".formatted(dockerfile));
        }
        List<String> options = new ArrayList<>();
        for (JsonNode word : new JsonMapper().readTree(entrypoint.group(1))) {
            String option = word.asString();
            if (option.startsWith("-XX:") && !option.startsWith("-XX:AOTCache=")) {
                options.add(option);
            }
        }
        return options;
    }

    Path java() {
        return javaHome.resolve("bin/java");
    }

    /**
     * Runs the image's training run ({@code serve --exit-after-warmup}, as {@code Dockerfile} runs
     * it) under the recording flags, unless the archive is newer than the jar. As in the image, it
     * runs without the manifest's options: the archive must serve whatever options a deployment
     * sets.
     */
    private static void record(BenchSetup setup, List<String> recording, Path archive)
            throws IOException, InterruptedException {
        FileTime jar = Files.getLastModifiedTime(setup.jar());
        if (Files.isRegularFile(archive) && Files.getLastModifiedTime(archive).compareTo(jar) > 0) {
            return;
        }
        Files.createDirectories(archive.getParent());
        List<String> command = new ArrayList<>();
        command.add(setup.imageJdk().resolve("bin/java").toString());
        command.addAll(recording);
        command.addAll(List.of("-jar", setup.jar().toString()));
        command.addAll(
                List.of(
                        "serve",
                        "--no-auth",
                        "--allow-http",
                        "--allow-private-module-hosts",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--exit-after-warmup"));
        Commands.run(command, Map.of());
        if (!Files.isRegularFile(archive)) {
            throw new IOException(
                    "the training run %s wrote no %s"
                            .formatted(String.join(" ", command), archive));
        }
    }

    private static Path buildHome() {
        return Path.of(System.getProperty("java.home"));
    }

    /** The feature release of the JDK at {@code home}, from its {@code release} file. */
    private static int feature(Path home) throws IOException {
        for (String line : Files.readAllLines(home.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                String version = line.substring(line.indexOf('"') + 1);
                return Integer.parseInt(version.split("[.\"]")[0]);
            }
        }
        throw new IOException("%s has no JAVA_VERSION".formatted(home.resolve("release")));
    }
}
