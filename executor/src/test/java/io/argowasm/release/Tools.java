package io.argowasm.release;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Programs on the PATH, for tests that use a tool when it is installed. */
public final class Tools {

    private Tools() {}

    /** Whether an executable of this name is on the PATH. */
    public static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .anyMatch(Files::isExecutable);
    }
}
