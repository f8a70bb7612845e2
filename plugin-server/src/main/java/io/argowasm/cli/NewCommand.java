package io.argowasm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * Writes a starter module for C, AssemblyScript or Rust: its source, a {@code build.sh} for the
 * language's toolchain, a {@code workflow.yaml} that runs it and a README, from the templates under
 * {@code starters/} on the classpath. What it writes builds and passes {@code run} as it is.
 */
@Command(
        name = "new",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Write a starter module: its source, build.sh, a workflow.yaml that runs it and a"
                    + " README.md.",
            "Then: cd NAME && ./build.sh && java -jar wasm-executor-plugin.jar run --template"
                    + " workflow.yaml"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "2:invalid usage, or the directory is not empty"})
final class NewCommand implements Callable<Integer> {

    @Mixin LogOptions logging;

    /** Names that fit everywhere the name goes: file names, Argo template names, npm packages. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private static final int MAX_NAME_LENGTH = 50;

    /** The languages and the files of their starters; {@code NAME} in a file name is the name. */
    enum Language {
        C("c", "NAME.c", "wapc_guest.h", "tinyjson.h", "build.sh", "README.md"),
        ASSEMBLYSCRIPT(
                "assemblyscript",
                "assembly/index.ts",
                "assembly/tsconfig.json",
                "package.json",
                "gitignore",
                "build.sh",
                "README.md"),
        RUST("rust", "src/lib.rs", "src/wapc.rs", "src/json.rs", "build.sh", "README.md");

        final String id;
        final List<String> files;

        Language(String id, String... files) {
            this.id = id;
            this.files = List.of(files);
        }

        static String ids() {
            return String.join(", ", Arrays.stream(values()).map(l -> l.id).toList());
        }
    }

    /** Reads {@code --lang} in the lower case the help shows. */
    static final class LanguageConverter implements ITypeConverter<Language> {
        @Override
        public Language convert(String value) {
            return Arrays.stream(Language.values())
                    .filter(l -> l.id.equals(value))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new TypeConversionException(
                                            "unknown language '%s'; choose one of %s"
                                                    .formatted(value, Language.ids())));
        }
    }

    /** The {@code --lang} values, for the help text. */
    static final class LanguageIds extends ArrayList<String> {
        LanguageIds() {
            super(Arrays.stream(Language.values()).map(l -> l.id).toList());
        }
    }

    @Spec CommandSpec spec;

    @Option(
            names = Flags.LANG,
            required = true,
            converter = LanguageConverter.class,
            completionCandidates = LanguageIds.class,
            paramLabel = "LANGUAGE",
            description = "The module's language: ${COMPLETION-CANDIDATES}.")
    Language language;

    @Parameters(
            index = "0",
            paramLabel = "NAME",
            description =
                    "The module's name, e.g. hello-world: lowercase letters, digits and '-'. It"
                            + " names NAME.wasm, the workflow and its template.")
    String name;

    @Option(
            names = Flags.DIR,
            paramLabel = "DIR",
            description = "Where to write the starter; created if missing. Default: ./NAME.")
    Path dir;

    @Override
    public Integer call() {
        if (!NAME.matcher(name).matches() || name.length() > MAX_NAME_LENGTH) {
            throw new ParameterException(
                    spec.commandLine(),
                    ("NAME '%s' is not a module name: use lowercase letters, digits and single"
                                    + " '-' between them, starting with a letter, at most %d"
                                    + " characters (e.g. hello-world)")
                            .formatted(name, MAX_NAME_LENGTH));
        }
        Path target = dir != null ? dir : Path.of(name);
        if (holdsFiles(target)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--dir %s is not empty; choose a new or empty directory with --dir"
                            .formatted(target));
        }
        List<String> written = new ArrayList<>();
        for (String file : files()) {
            String output = outputName(file);
            write(target.resolve(output), render(resource(file)));
            written.add(output);
        }
        report(target, written);
        return Main.OK;
    }

    private List<String> files() {
        List<String> files = new ArrayList<>();
        language.files.forEach(f -> files.add(language.id + "/" + f));
        files.add("common/workflow.yaml");
        return files;
    }

    /** {@code c/NAME.c} is written as {@code <name>.c}, {@code gitignore} as {@code .gitignore}. */
    private String outputName(String resource) {
        String relative = resource.substring(resource.indexOf('/') + 1).replace("NAME", name);
        return relative.equals("gitignore") ? ".gitignore" : relative;
    }

    private String render(String template) {
        return template.replace("@NAME@", name).replace("@IDENT@", name.replace('-', '_'));
    }

    private static String resource(String file) {
        String path = "starters/" + file;
        try (InputStream in = NewCommand.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the starter file %s is missing from the jar; rebuild it".formatted(path));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean holdsFiles(Path dir) {
        if (!Files.exists(dir)) {
            return false;
        }
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read %s %s".formatted(Flags.DIR, dir), e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            // Scripts are run as ./build.sh; elsewhere (Windows) they run with bash build.sh.
            if (file.getFileName().toString().endsWith(".sh")
                    && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write %s".formatted(file), e);
        }
    }

    private void report(Path target, List<String> written) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "wrote a %s starter in %s: %s%n", language.id, target, String.join(", ", written));
        out.printf("next:%n  cd %s%n  ./build.sh%n", target);
        out.printf("  %s run --template workflow.yaml -p name=you%n", launcher());
        out.printf("  (README.md says how to run it in a cluster)%n");
    }

    /** How to start this program again: the jar it runs from, when it runs from one. */
    private static String launcher() {
        CodeSource source = NewCommand.class.getProtectionDomain().getCodeSource();
        if (source != null) {
            try {
                Path location = Path.of(source.getLocation().toURI());
                if (location.toString().endsWith(".jar")) {
                    return "java -jar %s".formatted(location);
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // Not a file on this file system: the jar's usual name will do.
            }
        }
        return "java -jar wasm-executor-plugin.jar";
    }
}
