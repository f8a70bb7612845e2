package io.argowasm.exec;

import io.argowasm.artifacts.ArtifactLimitException;
import io.argowasm.artifacts.ArtifactWorkspace;
import io.argowasm.artifacts.StagedArtifact;
import io.argowasm.wapc.HostCall;
import io.argowasm.wapc.HostCallException;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code artifacts} host-call binding of one invocation: the guest reads its input artifacts
 * and appends to its output artifacts in chunks, so an artifact larger than the guest's memory
 * streams through. Only the template's declared artifacts are reachable. The namespace names the
 * artifact, or {@code <artifact>/<entry>} for a file inside a directory artifact.
 */
final class ArtifactBinding implements HostCall, AutoCloseable {

    static final String BINDING = "artifacts";
    static final int MAX_READ_BYTES = 4 << 20;

    private final JsonMapper json;
    private final ArtifactWorkspace workspace;
    private final Map<String, StagedArtifact> inputs;
    private final Set<String> outputs;
    private final Set<String> absent;
    private final Map<Path, FileChannel> reading = new HashMap<>();
    private final Map<Path, OutputStream> writing = new LinkedHashMap<>();
    private final Map<Path, Long> written = new HashMap<>();
    private volatile ArtifactLimitException refusedWrite;

    /**
     * @param inputs the input artifacts present, by name
     * @param outputs the names of the declared output artifacts
     * @param absent optional input artifacts that do not exist
     */
    ArtifactBinding(
            JsonMapper json,
            ArtifactWorkspace workspace,
            Map<String, StagedArtifact> inputs,
            Set<String> outputs,
            Set<String> absent) {
        this.json = json;
        this.workspace = workspace;
        this.inputs = inputs;
        this.outputs = outputs;
        this.absent = absent;
    }

    @Override
    public byte[] call(String namespace, String operation, byte[] payload)
            throws HostCallException {
        int slash = namespace.indexOf('/');
        String name = slash < 0 ? namespace : namespace.substring(0, slash);
        String entry = slash < 0 ? null : namespace.substring(slash + 1);
        try {
            return switch (operation) {
                case "read" -> read(name, entry, payload);
                case "write" -> write(name, entry, payload);
                case "stat" -> stat(name, entry);
                default ->
                        throw new HostCallException(
                                "unknown artifacts operation '%s'; use read, write or stat"
                                        .formatted(operation));
            };
        } catch (IllegalArgumentException e) {
            throw new HostCallException(e.getMessage(), e);
        } catch (IOException e) {
            throw new HostCallException(
                    "artifact '%s' could not be accessed: %s".formatted(namespace, e.getMessage()),
                    e);
        }
    }

    private byte[] read(String name, String entry, byte[] payload)
            throws HostCallException, IOException {
        Path file = inputFile(name, entry, "read");
        JsonNode request;
        try {
            request = json.readTree(payload);
        } catch (JacksonException e) {
            throw new HostCallException(
                    "artifacts read needs the payload {\"offset\":N,\"length\":M}");
        }
        long offset = request.path("offset").asLong(-1);
        long length = request.path("length").asLong(-1);
        if (offset < 0 || length < 0) {
            throw new HostCallException(
                    "artifacts read needs the payload {\"offset\":N,\"length\":M} with N, M >= 0");
        }
        FileChannel channel = reading.get(file);
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            reading.put(file, channel);
        }
        int want =
                (int)
                        Math.min(
                                Math.min(length, MAX_READ_BYTES),
                                Math.max(0, channel.size() - offset));
        ByteBuffer buffer = ByteBuffer.allocate(want);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.position() == want
                ? buffer.array()
                : Arrays.copyOf(buffer.array(), buffer.position());
    }

    private byte[] write(String name, String entry, byte[] payload)
            throws HostCallException, IOException {
        if (!outputs.contains(name)) {
            throw refused(name, "write");
        }
        Path file = entry == null ? workspace.outputPath(name) : workspace.outputEntry(name, entry);
        OutputStream out = writing.get(file);
        if (out == null) {
            if (entry == null && Files.isDirectory(file)) {
                throw new HostCallException(
                        "output artifact '%s' is a directory: write to '%s/<file>'"
                                .formatted(name, name));
            }
            out = workspace.appendTo(name, file);
            writing.put(file, out);
        }
        try {
            out.write(payload);
        } catch (ArtifactLimitException e) {
            refusedWrite = e;
            throw new HostCallException(StepArtifacts.explained(e), e);
        }
        written.merge(file, (long) payload.length, Long::sum);
        return new byte[0];
    }

    /** The disk budget's refusal of a write, if the guest hit it. */
    Optional<ArtifactLimitException> refusedWrite() {
        return Optional.ofNullable(refusedWrite);
    }

    private byte[] stat(String name, String entry) throws HostCallException, IOException {
        ObjectNode stat = json.createObjectNode();
        StagedArtifact input = inputs.get(name);
        if (input != null) {
            if (entry != null) {
                stat.put("size", Files.size(input.resolve(entry)));
            } else {
                stat.put("size", input.size());
                if (input.isDirectory()) {
                    input.entries().forEach(stat.putArray("entries")::add);
                }
            }
        } else if (outputs.contains(name)) {
            Path file =
                    entry == null ? workspace.outputPath(name) : workspace.outputEntry(name, entry);
            stat.put("size", written.getOrDefault(file, 0L));
        } else {
            throw unknown(name);
        }
        return json.writeValueAsBytes(stat);
    }

    private Path inputFile(String name, String entry, String operation) throws HostCallException {
        StagedArtifact input = inputs.get(name);
        if (input == null) {
            throw outputs.contains(name) ? refused(name, operation) : unknown(name);
        }
        if (entry != null) {
            return input.resolve(entry);
        }
        if (input.isDirectory()) {
            throw new HostCallException(
                    ("input artifact '%s' is a directory: read one of its files as"
                                    + " '%s/<entry>' (stat lists them)")
                            .formatted(name, name));
        }
        return input.path();
    }

    private HostCallException refused(String name, String operation) {
        return new HostCallException(
                operation.equals("write")
                        ? "artifact '%s' is an input: it can be read, not written".formatted(name)
                        : "artifact '%s' is an output: it can be written, not read"
                                .formatted(name));
    }

    private HostCallException unknown(String name) {
        if (absent.contains(name)) {
            return new HostCallException(
                    "input artifact '%s' is optional and absent for this step".formatted(name));
        }
        Set<String> declared = new TreeSet<>(inputs.keySet());
        declared.addAll(outputs);
        return new HostCallException(
                "no artifact named '%s' in this template%s"
                        .formatted(
                                name,
                                declared.isEmpty()
                                        ? ""
                                        : "; declared: %s".formatted(String.join(", ", declared))));
    }

    /** Closes the files the guest read and flushes what it wrote. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Closeable c : reading.values()) {
            failure = closeQuietly(c, failure);
        }
        for (Closeable c : writing.values()) {
            failure = closeQuietly(c, failure);
        }
        reading.clear();
        writing.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private static IOException closeQuietly(Closeable c, IOException failure) {
        try {
            c.close();
            return failure;
        } catch (IOException e) {
            return failure == null ? e : failure;
        }
    }
}
