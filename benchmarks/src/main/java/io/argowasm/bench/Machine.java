package io.argowasm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** What the run ran on: processor, memory, system and tool versions. */
record Machine(
        String date,
        String cpu,
        int cores,
        long memoryMiB,
        String kernel,
        String java,
        String node,
        String clang) {

    static Machine describe() throws IOException {
        String cpu =
                Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .findFirst()
                        .orElse("unknown processor");
        long memoryKiB =
                Files.readAllLines(Path.of("/proc/meminfo")).stream()
                        .filter(l -> l.startsWith("MemTotal:"))
                        .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                        .findFirst()
                        .orElse(0);
        return new Machine(
                DateTimeFormatter.ISO_LOCAL_DATE_TIME
                                .withZone(ZoneOffset.UTC)
                                .format(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                        + " UTC",
                cpu,
                Runtime.getRuntime().availableProcessors(),
                memoryKiB / 1024,
                Commands.firstLine("uname", "-sr"),
                System.getProperty("java.vm.name")
                        + " "
                        + System.getProperty("java.runtime.version"),
                Commands.firstLine("node", "--version"),
                Commands.firstLine("clang", "--version"));
    }

    /** The one-minute load average now. */
    static double loadNow() throws IOException {
        List<String> fields = List.of(Files.readString(Path.of("/proc/loadavg")).split(" "));
        return Double.parseDouble(fields.get(0));
    }
}
