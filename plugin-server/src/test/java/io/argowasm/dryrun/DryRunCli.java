package io.argowasm.dryrun;

import io.argowasm.TestModules;
import io.argowasm.argo.Json;
import io.argowasm.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** Runs {@code dry-run} as a user would, capturing its exit code, stdout and stderr. */
public final class DryRunCli {

    /** Compiled modules are shared between the tests' runs, as a sidecar's cache would be. */
    private static final Path COMPILE_CACHE = temporaryDirectory("dry-run-compile-cache-");

    private DryRunCli() {}

    /** What one run printed. */
    public record Result(int exitCode, String out, String err) {

        public JsonNode json() {
            return Json.mapper().readTree(out);
        }

        public String phase() {
            return json().path("status").path("phase").asString();
        }

        /** The node {@code argo get} would show with this display name. */
        public JsonNode node(String displayName) {
            for (JsonNode node : json().path("status").path("nodes")) {
                if (node.path("displayName").asString().equals(displayName)) {
                    return node;
                }
            }
            throw new AssertionError("no node '" + displayName + "' in " + out);
        }

        public boolean hasNode(String displayName) {
            for (JsonNode node : json().path("status").path("nodes")) {
                if (node.path("displayName").asString().equals(displayName)) {
                    return true;
                }
            }
            return false;
        }

        /** An output parameter of a node. */
        public String output(String displayName, String parameter) {
            for (JsonNode p : node(displayName).path("outputs").path("parameters")) {
                if (p.path("name").asString().equals(parameter)) {
                    return p.path("value").asString();
                }
            }
            throw new AssertionError(
                    "node '" + displayName + "' has no output '" + parameter + "': " + out);
        }
    }

    /** Runs {@code dry-run ARGS}. */
    public static Result run(String... args) {
        List<String> all =
                new ArrayList<>(List.of("dry-run", "--compile-cache", COMPILE_CACHE.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs a workflow written out to {@code dir}, with {@code -o json}. */
    public static Result runYaml(Path dir, String yaml, String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of(write(dir, "workflow.yaml", yaml).toString(), "-o", "json"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    public static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A guest that answers its payload, so its outputs are its input parameters. */
    public static String echoModule() {
        return TestModules.test("echo").toString();
    }

    /** A guest whose operation {@code fail} always fails. */
    public static String conformanceModule() {
        return TestModules.test("conformance").toString();
    }

    /** A wasm template named {@code name} echoing input {@code value} as output {@code value}. */
    public static String echoTemplate(String name) {
        return """
            - name: %s
              inputs:
                parameters:
                  - name: value
              outputs:
                parameters:
                  - name: value
              plugin:
                wasm:
                  module:
                    file: %s
        """
                .formatted(name, echoModule());
    }

    /** A wasm template named {@code name} that fails. */
    public static String failingTemplate(String name) {
        return """
            - name: %s
              plugin:
                wasm:
                  module:
                    file: %s
                  operation: fail
        """
                .formatted(name, conformanceModule());
    }

    private static Path temporaryDirectory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
