package io.argowasm.wapc;

import com.dylibso.chicory.runtime.Memory;
import io.argowasm.wapc.GuestFiles.Dir;
import io.argowasm.wapc.GuestFiles.File;
import io.argowasm.wapc.GuestFiles.Node;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open files of one WASI command, over its {@link GuestFiles}: descriptor 3 is the preopened
 * {@code /work}, later ones what the guest opened. Paths are resolved one name at a time inside the
 * tree; an absolute path or a {@code ..} is refused with {@code ENOTCAPABLE}, so nothing of the
 * host is ever named. Every guest pointer is checked against memory before it is used.
 */
final class WasiFileTable {

    static final int PREOPEN_FD = 3;

    // WASI preview1 errno values.
    static final int SUCCESS = 0;
    static final int BADF = 8;
    static final int EXIST = 20;
    static final int FAULT = 21;
    static final int INVAL = 28;
    static final int IO = 29;
    static final int ISDIR = 31;
    static final int MFILE = 33;
    static final int NAMETOOLONG = 37;
    static final int NOENT = 44;
    static final int NOSPC = 51;
    static final int NOTDIR = 54;
    static final int NOTEMPTY = 55;
    static final int NOTSUP = 58;
    static final int PERM = 63;
    static final int ROFS = 69;
    static final int NOTCAPABLE = 76;

    private static final int FILETYPE_DIRECTORY = 3;
    private static final int FILETYPE_REGULAR = 4;
    private static final int OFLAG_CREAT = 1;
    private static final int OFLAG_DIRECTORY = 2;
    private static final int OFLAG_EXCL = 4;
    private static final int OFLAG_TRUNC = 8;
    private static final int FDFLAG_APPEND = 1;
    private static final long RIGHT_FD_WRITE = 1L << 6;
    private static final long ALL_RIGHTS = (1L << 30) - 1;
    private static final int MAX_PATH_BYTES = 4096;
    private static final int MAX_OPEN = 1024;
    private static final int CHUNK = 64 * 1024;

    /** An open descriptor: a directory, or a file with its position. */
    private static final class Open {
        final Node node;
        final boolean write;
        final boolean append;
        long position;
        FileChannel channel;

        Open(Node node, boolean write, boolean append) {
            this.node = node;
            this.write = write;
            this.append = append;
        }
    }

    private final GuestFiles files;
    private final Map<Integer, Open> open = new HashMap<>();
    private int nextFd = PREOPEN_FD + 1;

    WasiFileTable(GuestFiles files) {
        this.files = files;
        open.put(PREOPEN_FD, new Open(files.root(), false, false));
    }

    boolean isOpen(int fd) {
        return open.containsKey(fd);
    }

    /** Closes every host file still open; the guest's tree itself stays for the host to read. */
    void closeAll() {
        open.values().forEach(WasiFileTable::closeChannel);
        open.clear();
    }

    int prestatGet(Memory memory, int fd, long buf) {
        if (fd != PREOPEN_FD || !open.containsKey(fd)) {
            return BADF;
        }
        if (!fits(memory, buf, 8)) {
            return FAULT;
        }
        memory.writeI32((int) buf, 0); // tag 0: a directory
        memory.writeI32((int) buf + 4, WasiProcess.DIRECTORY.length());
        return SUCCESS;
    }

    int prestatDirName(Memory memory, int fd, long buf, long len) {
        if (fd != PREOPEN_FD || !open.containsKey(fd)) {
            return BADF;
        }
        byte[] name = WasiProcess.DIRECTORY.getBytes(StandardCharsets.UTF_8);
        if ((len & 0xFFFFFFFFL) < name.length) {
            return NAMETOOLONG;
        }
        if (!fits(memory, buf, name.length)) {
            return FAULT;
        }
        memory.write((int) buf, name);
        return SUCCESS;
    }

    int pathOpen(
            Memory memory,
            int fd,
            long pathPtr,
            long pathLen,
            int oflags,
            long rightsBase,
            int fdflags,
            long fdOut) {
        if (!fits(memory, fdOut, 4)) {
            return FAULT;
        }
        Resolved at = resolve(memory, fd, pathPtr, pathLen);
        if (at.errno != SUCCESS) {
            return at.errno;
        }
        if (open.size() >= MAX_OPEN) {
            return MFILE;
        }
        boolean write =
                (rightsBase & RIGHT_FD_WRITE) != 0
                        || (oflags & OFLAG_TRUNC) != 0
                        || (fdflags & FDFLAG_APPEND) != 0;
        Node node = at.node;
        if (node != null && (oflags & OFLAG_CREAT) != 0 && (oflags & OFLAG_EXCL) != 0) {
            return EXIST;
        }
        if (node == null) {
            if ((oflags & OFLAG_CREAT) == 0) {
                return NOENT;
            }
            if ((oflags & OFLAG_DIRECTORY) != 0) {
                return INVAL;
            }
            if (!at.parent.writable) {
                return ROFS;
            }
            node = new File(files.newInode(), false, null, 0, new byte[0]);
            at.parent.entries.put(at.name, node);
        }
        if ((oflags & OFLAG_DIRECTORY) != 0 && !(node instanceof Dir)) {
            return NOTDIR;
        }
        if (node instanceof Dir) {
            if (write) {
                return ISDIR;
            }
        } else if (write && ((File) node).readOnly) {
            return ROFS;
        }
        if (node instanceof File file && (oflags & OFLAG_TRUNC) != 0 && file.size > 0) {
            files.charge(-file.size);
            file.size = 0;
            file.bytes = new byte[0];
        }
        int newFd = nextFd++;
        open.put(newFd, new Open(node, write, (fdflags & FDFLAG_APPEND) != 0));
        memory.writeI32((int) fdOut, newFd);
        return SUCCESS;
    }

    int close(int fd) {
        Open o = open.remove(fd);
        if (o == null) {
            return BADF;
        }
        closeChannel(o);
        return SUCCESS;
    }

    /**
     * Reads into the iovecs at the descriptor's position, or at {@code offset} when it is not -1.
     */
    int read(Memory memory, int fd, long iovs, long count, long offset, long resultPtr) {
        Open o = open.get(fd);
        if (o == null) {
            return BADF;
        }
        if (!(o.node instanceof File file)) {
            return ISDIR;
        }
        long position = offset >= 0 ? offset : o.position;
        long total = 0;
        try {
            for (int i = 0; i < count; i++) {
                long buf = iovecField(memory, iovs, i, 0);
                long len = iovecField(memory, iovs, i, 4);
                long n = readAt(o, file, memory, buf, len, position);
                position += n;
                total += n;
                if (n < len) {
                    break;
                }
            }
        } catch (IOException e) {
            return IO;
        }
        if (offset < 0) {
            o.position = position;
        }
        memory.writeI32((int) resultPtr, (int) total);
        return SUCCESS;
    }

    private static long readAt(Open o, File file, Memory memory, long buf, long len, long position)
            throws IOException {
        long available = Math.max(0, file.length() - position);
        long wanted = Math.min(len, available);
        if (file.host == null) {
            memory.write((int) buf, file.bytes, (int) position, (int) wanted);
            return wanted;
        }
        if (o.channel == null) {
            o.channel = FileChannel.open(file.host, StandardOpenOption.READ);
        }
        long done = 0;
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, wanted));
        while (done < wanted) {
            SandboxWasi.stopIfInterrupted();
            chunk.clear().limit((int) Math.min(chunk.capacity(), wanted - done));
            int n = o.channel.read(chunk, position + done);
            if (n <= 0) {
                break;
            }
            memory.write((int) (buf + done), chunk.array(), 0, n);
            done += n;
        }
        return done;
    }

    /** Writes the iovecs at the descriptor's position, or at {@code offset} when it is not -1. */
    int write(Memory memory, int fd, long iovs, long count, long offset, long resultPtr) {
        Open o = open.get(fd);
        if (o == null) {
            return BADF;
        }
        if (!(o.node instanceof File file)) {
            return ISDIR;
        }
        if (!o.write) {
            return BADF;
        }
        long position = offset >= 0 ? offset : o.append ? file.size : o.position;
        long total = 0;
        for (int i = 0; i < count; i++) {
            long buf = iovecField(memory, iovs, i, 0);
            long len = iovecField(memory, iovs, i, 4);
            if (!resize(file, Math.max(file.size, position + len))) {
                if (total == 0) {
                    return NOSPC;
                }
                break;
            }
            for (long at = 0; at < len; at += CHUNK) {
                SandboxWasi.stopIfInterrupted();
                int n = (int) Math.min(CHUNK, len - at);
                byte[] bytes = memory.readBytes((int) (buf + at), n);
                System.arraycopy(bytes, 0, file.bytes, (int) (position + at), n);
            }
            position += len;
            total += len;
        }
        if (offset < 0) {
            o.position = position;
        }
        memory.writeI32((int) resultPtr, (int) Math.min(total, Integer.MAX_VALUE));
        return SUCCESS;
    }

    /** Sets a file's size, charging growth to the tree's budget; false when refused. */
    private boolean resize(File file, long size) {
        if (size > Integer.MAX_VALUE - 8) {
            return false;
        }
        if (size == file.size) {
            return true;
        }
        if (!files.charge(size - file.size)) {
            return false;
        }
        if (size > file.bytes.length) {
            long capacity = Math.max(size, Math.min(Integer.MAX_VALUE - 8, file.bytes.length * 2L));
            file.bytes = java.util.Arrays.copyOf(file.bytes, (int) capacity);
        } else if (size < file.size) {
            java.util.Arrays.fill(file.bytes, (int) size, file.size, (byte) 0);
        }
        file.size = (int) size;
        return true;
    }

    int seek(Memory memory, int fd, long offset, int whence, long resultPtr) {
        Open o = open.get(fd);
        if (o == null) {
            return BADF;
        }
        if (!(o.node instanceof File file)) {
            return ISDIR;
        }
        if (!fits(memory, resultPtr, 8)) {
            return FAULT;
        }
        long base =
                switch (whence) {
                    case 0 -> 0;
                    case 1 -> o.position;
                    case 2 -> file.length();
                    default -> -1;
                };
        if (base < 0 || base + offset < 0) {
            return INVAL;
        }
        o.position = base + offset;
        memory.writeLong((int) resultPtr, o.position);
        return SUCCESS;
    }

    int tell(Memory memory, int fd, long resultPtr) {
        Open o = open.get(fd);
        if (o == null) {
            return BADF;
        }
        if (!fits(memory, resultPtr, 8)) {
            return FAULT;
        }
        memory.writeLong((int) resultPtr, o.position);
        return SUCCESS;
    }

    int fdstat(Memory memory, int fd, long buf) {
        Open o = open.get(fd);
        if (o == null) {
            return BADF;
        }
        if (!fits(memory, buf, 24)) {
            return FAULT;
        }
        int at = (int) buf;
        memory.fill((byte) 0, at, at + 24);
        memory.writeByte(at, (byte) filetype(o.node));
        memory.writeShort(at + 2, (short) (o.append ? FDFLAG_APPEND : 0));
        // Full rights on every descriptor: wasi-libc masks what it asks for with the inheriting
        // rights of the directory. Writes to read-only files are refused when they are opened.
        memory.writeLong(at + 8, ALL_RIGHTS);
        memory.writeLong(at + 16, ALL_RIGHTS);
        return SUCCESS;
    }

    int filestat(Memory memory, int fd, long buf) {
        Open o = open.get(fd);
        if (o == null) {
            return BADF;
        }
        return writeFilestat(memory, o.node, buf);
    }

    int setSize(int fd, long size) {
        Open o = open.get(fd);
        if (o == null) {
            return BADF;
        }
        if (!(o.node instanceof File file)) {
            return ISDIR;
        }
        if (!o.write) {
            return BADF;
        }
        if (size < 0) {
            return INVAL;
        }
        return resize(file, size) ? SUCCESS : NOSPC;
    }

    int pathFilestat(Memory memory, int fd, long pathPtr, long pathLen, long buf) {
        Resolved at = resolve(memory, fd, pathPtr, pathLen);
        if (at.errno != SUCCESS) {
            return at.errno;
        }
        if (at.node == null) {
            return NOENT;
        }
        return writeFilestat(memory, at.node, buf);
    }

    int createDirectory(Memory memory, int fd, long pathPtr, long pathLen) {
        Resolved at = resolve(memory, fd, pathPtr, pathLen);
        if (at.errno != SUCCESS) {
            return at.errno;
        }
        if (at.node != null) {
            return EXIST;
        }
        if (!at.parent.writable) {
            return ROFS;
        }
        at.parent.entries.put(at.name, new Dir(files.newInode(), true));
        return SUCCESS;
    }

    int unlinkFile(Memory memory, int fd, long pathPtr, long pathLen) {
        Resolved at = resolve(memory, fd, pathPtr, pathLen);
        if (at.errno != SUCCESS) {
            return at.errno;
        }
        if (at.node == null) {
            return NOENT;
        }
        if (at.node instanceof Dir) {
            return ISDIR;
        }
        if (!at.parent.writable) {
            return ROFS;
        }
        at.parent.entries.remove(at.name);
        File file = (File) at.node;
        if (!file.readOnly) {
            files.charge(-file.size);
            file.size = 0;
            file.bytes = new byte[0];
        }
        return SUCCESS;
    }

    int removeDirectory(Memory memory, int fd, long pathPtr, long pathLen) {
        Resolved at = resolve(memory, fd, pathPtr, pathLen);
        if (at.errno != SUCCESS) {
            return at.errno;
        }
        if (at.node == null) {
            return NOENT;
        }
        if (!(at.node instanceof Dir dir)) {
            return NOTDIR;
        }
        if (at.parent == null) {
            return PERM; // the root itself
        }
        if (!at.parent.writable || !dir.writable) {
            return ROFS;
        }
        if (!dir.entries.isEmpty()) {
            return NOTEMPTY;
        }
        at.parent.entries.remove(at.name);
        return SUCCESS;
    }

    int rename(
            Memory memory, int fd, long oldPtr, long oldLen, int newFd, long newPtr, long newLen) {
        Resolved from = resolve(memory, fd, oldPtr, oldLen);
        if (from.errno != SUCCESS) {
            return from.errno;
        }
        Resolved to = resolve(memory, newFd, newPtr, newLen);
        if (to.errno != SUCCESS) {
            return to.errno;
        }
        if (from.node == null) {
            return NOENT;
        }
        if (from.parent == null || to.parent == null) {
            return PERM;
        }
        if (!from.parent.writable || !to.parent.writable) {
            return ROFS;
        }
        if (to.node instanceof Dir target && !target.entries.isEmpty()) {
            return NOTEMPTY;
        }
        if (to.node != null && (to.node instanceof Dir) != (from.node instanceof Dir)) {
            return to.node instanceof Dir ? ISDIR : NOTDIR;
        }
        if (from.node instanceof Dir moved && isWithin(moved, to.parent)) {
            return INVAL;
        }
        if (to.node instanceof File replaced && !replaced.readOnly && to.node != from.node) {
            files.charge(-replaced.size);
        }
        from.parent.entries.remove(from.name);
        to.parent.entries.put(to.name, from.node);
        return SUCCESS;
    }

    int readlink(Memory memory, int fd, long pathPtr, long pathLen) {
        Resolved at = resolve(memory, fd, pathPtr, pathLen);
        if (at.errno != SUCCESS) {
            return at.errno;
        }
        return at.node == null ? NOENT : INVAL; // the tree holds no symbolic links
    }

    int readdir(Memory memory, int fd, long buf, long bufLen, long cookie, long resultPtr) {
        Open o = open.get(fd);
        if (o == null) {
            return BADF;
        }
        if (!(o.node instanceof Dir dir)) {
            return NOTDIR;
        }
        long len = bufLen & 0xFFFFFFFFL;
        if (!fits(memory, buf, len) || !fits(memory, resultPtr, 4)) {
            return FAULT;
        }
        List<Map.Entry<String, Node>> entries = new ArrayList<>();
        entries.add(Map.entry(".", dir));
        entries.add(Map.entry("..", dir));
        entries.addAll(dir.entries.entrySet());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long i = Math.max(0, cookie); i < entries.size() && out.size() < len; i++) {
            Map.Entry<String, Node> e = entries.get((int) i);
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            ByteBuffer dirent = ByteBuffer.allocate(24 + name.length);
            dirent.order(ByteOrder.LITTLE_ENDIAN);
            dirent.putLong(i + 1).putLong(e.getValue().inode).putInt(name.length);
            dirent.put((byte) filetype(e.getValue())).put(new byte[3]).put(name);
            out.writeBytes(dirent.array());
        }
        byte[] bytes = out.toByteArray();
        int used = (int) Math.min(bytes.length, len);
        memory.write((int) buf, bytes, 0, used);
        memory.writeI32((int) resultPtr, used);
        return SUCCESS;
    }

    private static boolean isWithin(Dir ancestor, Dir dir) {
        if (ancestor == dir) {
            return true;
        }
        for (Node child : ancestor.entries.values()) {
            if (child instanceof Dir sub && isWithin(sub, dir)) {
                return true;
            }
        }
        return false;
    }

    /** Where a guest path leads: the node if it exists, its parent directory and last name. */
    private record Resolved(int errno, Dir parent, String name, Node node) {
        static Resolved error(int errno) {
            return new Resolved(errno, null, null, null);
        }
    }

    private Resolved resolve(Memory memory, int fd, long pathPtr, long pathLen) {
        Open base = open.get(fd);
        if (base == null) {
            return Resolved.error(BADF);
        }
        if (!(base.node instanceof Dir dir)) {
            return Resolved.error(NOTDIR);
        }
        long len = pathLen & 0xFFFFFFFFL;
        if (len > MAX_PATH_BYTES) {
            return Resolved.error(NAMETOOLONG);
        }
        if (!fits(memory, pathPtr, len)) {
            return Resolved.error(FAULT);
        }
        String path =
                new String(memory.readBytes((int) pathPtr, (int) len), StandardCharsets.UTF_8);
        if (path.startsWith("/") || path.indexOf('\0') >= 0) {
            return Resolved.error(NOTCAPABLE);
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                return Resolved.error(NOTCAPABLE);
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            return new Resolved(SUCCESS, null, null, dir);
        }
        Dir parent = dir;
        for (String part : parts.subList(0, parts.size() - 1)) {
            Node next = parent.entries.get(part);
            if (next == null) {
                return Resolved.error(NOENT);
            }
            if (!(next instanceof Dir d)) {
                return Resolved.error(NOTDIR);
            }
            parent = d;
        }
        String name = parts.get(parts.size() - 1);
        return new Resolved(SUCCESS, parent, name, parent.entries.get(name));
    }

    private static int writeFilestat(Memory memory, Node node, long buf) {
        if (!fits(memory, buf, 64)) {
            return FAULT;
        }
        int at = (int) buf;
        memory.fill((byte) 0, at, at + 64);
        memory.writeLong(at + 8, node.inode);
        memory.writeByte(at + 16, (byte) filetype(node));
        memory.writeLong(at + 24, 1);
        memory.writeLong(at + 32, node instanceof File file ? file.length() : 0);
        return SUCCESS;
    }

    private static int filetype(Node node) {
        return node instanceof Dir ? FILETYPE_DIRECTORY : FILETYPE_REGULAR;
    }

    private static void closeChannel(Open o) {
        if (o.channel != null) {
            try {
                o.channel.close();
            } catch (IOException e) {
                // A read-only input: nothing is lost.
            }
            o.channel = null;
        }
    }

    private static long iovecField(Memory memory, long iovs, int i, int offset) {
        return memory.readInt((int) iovs + i * 8 + offset) & 0xFFFFFFFFL;
    }

    private static boolean fits(Memory memory, long ptr, long len) {
        long p = ptr & 0xFFFFFFFFL;
        return p + len <= (long) memory.pages() * Memory.PAGE_SIZE;
    }
}
