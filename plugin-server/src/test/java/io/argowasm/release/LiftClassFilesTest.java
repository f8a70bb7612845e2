package io.argowasm.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import picocli.CommandLine;

/**
 * The build step that rewrites the fat jar's pre-Java 6 class files (picocli's, ASM's), run on
 * picocli's own jar as plugin-server/pom.xml runs it on the fat jar.
 */
class LiftClassFilesTest {

    private static final Path LIFTER =
            ReleaseWorkflowsTest.REPOSITORY.resolve(
                    "plugin-server/src/build/java/LiftClassFiles.java");

    @TempDir Path dir;

    @Test
    void picocliComesOutAsJava8ClassFilesThatLoadAndRun() throws Exception {
        Path jar = dir.resolve("picocli.jar");
        Files.copy(jarOf(CommandLine.class), jar);
        assertThat(majorVersions(jar)).contains(49);

        Run lift =
                java("-cp", jarOf(ClassReader.class).toString(), LIFTER.toString(), jar.toString());

        assertThat(lift.exitCode()).as(lift.output()).isZero();
        assertThat(lift.output()).contains("class files older than Java 6");
        // (module-info.class, under META-INF/versions/9, was Java 9 already)
        assertThat(majorVersions(jar)).contains(52).allMatch(version -> version >= 52);
        // picocli's own completion-script generator parses its arguments and prints its usage: a
        // class whose rewritten frames the verifier rejects would fail here.
        Run help = java("-cp", jar.toString(), "picocli.AutoComplete", "--help");
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage:", "--completionScript");
    }

    @Test
    void aJarWithNothingOldIsLeftAsItWas() throws Exception {
        Path jar = dir.resolve("picocli-lifted-twice.jar");
        Files.copy(jarOf(CommandLine.class), jar);
        String asm = jarOf(ClassReader.class).toString();
        assertThat(java("-cp", asm, LIFTER.toString(), jar.toString()).exitCode()).isZero();
        List<Integer> once = majorVersions(jar);

        Run again = java("-cp", asm, LIFTER.toString(), jar.toString());

        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains(": 0 class files older than Java 6");
        assertThat(majorVersions(jar)).isEqualTo(once);
    }

    /** A finished {@code java} process: its exit code and what it printed. */
    private record Run(int exitCode, String output) {}

    private Run java(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "output", ".txt");
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        return new Run(process.exitValue(), Files.readString(output));
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toPath();
    }

    private static List<Integer> majorVersions(Path jar) throws Exception {
        List<Integer> versions = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        byte[] head = in.readNBytes(8);
                        versions.add(((head[6] & 0xff) << 8) | (head[7] & 0xff));
                    }
                }
            }
        }
        return versions;
    }
}
