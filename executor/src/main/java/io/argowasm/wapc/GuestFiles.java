package io.argowasm.wapc;

import io.argowasm.budget.MemoryBudget;
import io.argowasm.budget.Sizes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The file tree a WASI command sees below its one directory ({@code /work}), held in memory for one
 * invocation. The host puts in what the contract gives the guest, read-only: files of bytes, and
 * files of the host streamed from disk when read (input artifacts). Symbolic links of the host are
 * left out, so nothing outside what was put in can be reached. What the guest writes stays in
 * memory, charged to a budget of its own and to the sidecar's memory budget, and is read back by
 * the host after the run; nothing is ever written to the host's disk by the guest.
 */
public final class GuestFiles {

    /** A directory or a file of the tree. */
    abstract static sealed class Node permits Dir, File {
        final long inode;

        Node(long inode) {
            this.inode = inode;
        }
    }

    /** A directory; {@code writable} lets the guest add and remove entries. */
    static final class Dir extends Node {
        final Map<String, Node> entries = new TreeMap<>();
        final boolean writable;

        Dir(long inode, boolean writable) {
            super(inode);
            this.writable = writable;
        }
    }

    /** A file: bytes in memory, or a host file read where it lies. */
    static final class File extends Node {
        final boolean readOnly;
        final Path host;
        final long hostSize;
        byte[] bytes;
        int size;

        File(long inode, boolean readOnly, Path host, long hostSize, byte[] bytes) {
            super(inode);
            this.readOnly = readOnly;
            this.host = host;
            this.hostSize = hostSize;
            this.bytes = bytes;
            this.size = bytes == null ? 0 : bytes.length;
        }

        long length() {
            return host != null ? hostSize : size;
        }
    }

    private final Dir root;
    private final long maxWrittenBytes;
    private MemoryBudget memory = MemoryBudget.unlimited();
    private long written;
    private long nextInode = 2;
    private String refusal;

    /**
     * @param maxWrittenBytes the most the guest may hold in files it writes
     * @param writableRoot whether the guest may create files and directories directly below the
     *     root
     */
    public GuestFiles(long maxWrittenBytes, boolean writableRoot) {
        this.maxWrittenBytes = maxWrittenBytes;
        this.root = new Dir(1, writableRoot);
    }

    /** Adds a read-only file holding {@code bytes}, with any missing parent directories. */
    public void addFile(String path, byte[] bytes) {
        place(path, new File(nextInode++, true, null, 0, bytes.clone()), false);
    }

    /**
     * Adds a host file or directory, read-only, at {@code path}: a file is read where it lies when
     * the guest reads it; a directory's files and subdirectories are added one by one, without
     * following or adding symbolic links.
     */
    public void addHost(String path, Path host) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(
                            host, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isRegularFile()) {
                place(path, new File(nextInode++, true, host, attributes.size(), null), false);
            } else if (attributes.isDirectory()) {
                place(path, new Dir(nextInode++, false), false);
                try (Stream<Path> children = Files.list(host)) {
                    for (Path child : children.sorted().toList()) {
                        addHost(path + "/" + child.getFileName(), child);
                    }
                }
            }
            // Anything else (a symbolic link, a device) is left out: the guest sees nothing there.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds a directory, with any missing parents; {@code writable} lets the guest create and delete
     * entries in it and in the parents made for it. An existing directory is kept.
     */
    public void addDirectory(String path, boolean writable) {
        if (!(lookup(path) instanceof Dir)) {
            place(path, new Dir(nextInode++, writable), writable);
        }
    }

    /**
     * The bytes of a file the guest wrote or was given in memory, if there is one at {@code path}.
     */
    public Optional<byte[]> read(String path) {
        Node node = lookup(path);
        if (node instanceof File file && file.host == null) {
            return Optional.of(Arrays.copyOf(file.bytes, file.size));
        }
        return Optional.empty();
    }

    /** Whether a directory exists at {@code path}. */
    public boolean isDirectory(String path) {
        return lookup(path) instanceof Dir;
    }

    /**
     * The files below a directory, as paths relative to it, sorted; symbolic links cannot exist in
     * the tree. Empty when {@code path} is not a directory.
     */
    public List<String> filesBelow(String path) {
        List<String> files = new ArrayList<>();
        if (lookup(path) instanceof Dir dir) {
            collect(dir, "", files);
        }
        return files;
    }

    private static void collect(Dir dir, String prefix, List<String> files) {
        dir.entries.forEach(
                (name, node) -> {
                    if (node instanceof Dir sub) {
                        collect(sub, prefix + name + "/", files);
                    } else {
                        files.add(prefix + name);
                    }
                });
    }

    /** Bytes the guest holds in files it wrote. */
    public long writtenBytes() {
        return written;
    }

    /** Why a write was refused, if one was: the guest may have ignored the error. */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** Gives back what the guest's files were charged to the memory budget. */
    public void release() {
        memory.release(written);
        written = 0;
    }

    void chargeTo(MemoryBudget budget) {
        this.memory = budget;
    }

    Dir root() {
        return root;
    }

    long newInode() {
        return nextInode++;
    }

    /**
     * Charges {@code more} bytes the guest is about to hold; false, with the refusal kept, when
     * they pass the tree's budget or the sidecar's memory.
     */
    boolean charge(long more) {
        if (more <= 0) {
            written += more;
            memory.release(-more);
            return true;
        }
        if (written + more > maxWrittenBytes) {
            refusal =
                    "the guest's files passed their budget of %s (%s); write less or raise the flag"
                            .formatted(Sizes.describe(maxWrittenBytes), HostFlags.MAX_GUEST_FILES);
            return false;
        }
        if (!memory.tryCharge(more)) {
            refusal =
                    "the guest's files did not fit into the sidecar's memory budget after %s"
                            .formatted(Sizes.describe(written));
            return false;
        }
        written += more;
        return true;
    }

    private Node lookup(String path) {
        Node node = root;
        for (String part : parts(path)) {
            if (!(node instanceof Dir dir) || (node = dir.entries.get(part)) == null) {
                return null;
            }
        }
        return node;
    }

    private void place(String path, Node node, boolean writableParents) {
        List<String> parts = parts(path);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a guest file needs a name below the root");
        }
        Dir dir = root;
        for (String part : parts.subList(0, parts.size() - 1)) {
            Node next = dir.entries.get(part);
            if (next == null) {
                Dir made = new Dir(nextInode++, writableParents);
                dir.entries.put(part, made);
                dir = made;
            } else if (next instanceof Dir d) {
                dir = d;
            } else {
                throw new IllegalArgumentException(
                        "%s cannot be placed: %s is a file".formatted(path, part));
            }
        }
        dir.entries.put(parts.get(parts.size() - 1), node);
    }

    /** The names of a host-given path, refusing any that would step out of the tree. */
    private static List<String> parts(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IllegalArgumentException(
                        "%s steps out of the guest's directory with '..'".formatted(path));
            }
            parts.add(part);
        }
        return parts;
    }
}
