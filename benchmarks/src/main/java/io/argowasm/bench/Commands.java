package io.argowasm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs the helper programs of a benchmark run and reads what they print. */
final class Commands {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Commands() {}

    /** Runs a command to its end and returns its standard output; fails on a non-zero exit. */
    static String run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + exit);
        }
        return out;
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of());
    }

    /** Runs a command whose last line of output is JSON, and parses that line. */
    static JsonNode json(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        String[] lines = run(command, environment).strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    /** The first line a command prints, or "unavailable". */
    static String firstLine(String... command) {
        try {
            return run(List.of(command)).lines().findFirst().orElse("").strip();
        } catch (IOException e) {
            return "unavailable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unavailable";
        }
    }
}
