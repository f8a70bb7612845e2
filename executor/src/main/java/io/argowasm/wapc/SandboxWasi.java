package io.argowasm.wapc;

import com.dylibso.chicory.runtime.ExecutionCompletedException;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * WASI preview1 with only what a {@link WasiProcess} grants: waPC guests get nothing (no files, no
 * arguments, no environment, an empty stdin); WASI commands get their arguments, environment, stdin
 * and the in-memory tree at {@code /work} ({@link WasiFileTable}). stdout and stderr go where the
 * host says. Written here rather than taken from Chicory so that every length a guest passes is
 * checked against its memory before anything is read or allocated, no path can name the host, and
 * long reads and writes stop when the step is stopped. Every other WASI function exists with its
 * proper signature and answers {@code ENOSYS} or {@code EBADF}.
 */
final class SandboxWasi {

    static final String MODULE = "wasi_snapshot_preview1";

    /** POSIX's {@code IOV_MAX}: the most iovecs one read or write may pass. */
    static final int MAX_IOVECS = 1024;

    // The errno values and rights bits of the WASI preview1 specification.
    private static final int ERRNO_SUCCESS = 0;
    private static final int ERRNO_BADF = 8;
    private static final int ERRNO_FAULT = 21;
    private static final int ERRNO_INVAL = 28;
    private static final int ERRNO_IO = 29;
    private static final int ERRNO_NOSYS = 52;
    private static final int ERRNO_SPIPE = 70;
    private static final long RIGHT_FD_READ = 1L << 1;
    private static final long RIGHT_FD_WRITE = 1L << 6;
    private static final int CHUNK = 64 * 1024;

    /** The signature of every WASI preview1 function, as Chicory declares them. */
    private static final Map<String, FunctionType> SIGNATURES = signatures();

    private static final int ERRNO_PERM = 63;
    private static final int ERRNO_NOTSUP = 58;

    private final OutputStream stdout;
    private final OutputStream stderr;
    private final WasiProcess process;
    private final WasiFileTable files;
    private int stdinRead;

    /** Nothing granted, as for a waPC guest. */
    SandboxWasi(OutputStream stdout, OutputStream stderr) {
        this(stdout, stderr, WasiProcess.NOTHING);
    }

    SandboxWasi(OutputStream stdout, OutputStream stderr, WasiProcess process) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.process = process;
        this.files = process.files() == null ? null : new WasiFileTable(process.files());
    }

    /** Closes the host files the guest left open. */
    void close() {
        if (files != null) {
            files.closeAll();
        }
    }

    /** Whether a WASI function of that name exists. */
    static boolean provides(String name) {
        return SIGNATURES.containsKey(name);
    }

    HostFunction[] toHostFunctions() {
        return SIGNATURES.entrySet().stream()
                .map(e -> new HostFunction(MODULE, e.getKey(), e.getValue(), handle(e.getKey())))
                .toArray(HostFunction[]::new);
    }

    private WasmFunctionHandle handle(String name) {
        return switch (name) {
            case "fd_write" ->
                    (inst, args) ->
                            result(fdWrite(inst, (int) args[0], args[1], args[2], -1, args[3]));
            case "fd_pwrite" ->
                    (inst, args) ->
                            result(
                                    fdWrite(
                                            inst,
                                            (int) args[0],
                                            args[1],
                                            args[2],
                                            args[3],
                                            args[4]));
            case "fd_read" ->
                    (inst, args) ->
                            result(fdRead(inst, (int) args[0], args[1], args[2], -1, args[3]));
            case "fd_pread" ->
                    (inst, args) ->
                            result(fdRead(inst, (int) args[0], args[1], args[2], args[3], args[4]));
            case "random_get" -> (inst, args) -> result(randomGet(inst, args[0], args[1]));
            case "clock_time_get" -> (inst, args) -> result(clockTimeGet(inst, args[0], args[2]));
            case "clock_res_get" -> (inst, args) -> result(clockResGet(inst, args[0], args[1]));
            case "args_sizes_get" ->
                    (inst, args) -> result(sizes(inst, process.args(), args[0], args[1]));
            case "args_get" ->
                    (inst, args) -> result(strings(inst, process.args(), args[0], args[1]));
            case "environ_sizes_get" ->
                    (inst, args) -> result(sizes(inst, environ(), args[0], args[1]));
            case "environ_get" ->
                    (inst, args) -> result(strings(inst, environ(), args[0], args[1]));
            case "sched_yield" -> (inst, args) -> result(ERRNO_SUCCESS);
            case "poll_oneoff" ->
                    (inst, args) -> result(pollOneoff(inst, args[0], args[1], args[2], args[3]));
            case "fd_fdstat_get" -> (inst, args) -> result(fdstat(inst, (int) args[0], args[1]));
            case "fd_close" -> (inst, args) -> result(fdClose((int) args[0]));
            case "fd_seek" ->
                    (inst, args) ->
                            result(
                                    onFile(
                                            args[0],
                                            ERRNO_SPIPE,
                                            () ->
                                                    files.seek(
                                                            inst.memory(),
                                                            (int) args[0],
                                                            args[1],
                                                            (int) args[2],
                                                            args[3])));
            case "fd_tell" ->
                    (inst, args) ->
                            result(
                                    onFile(
                                            args[0],
                                            ERRNO_SPIPE,
                                            () ->
                                                    files.tell(
                                                            inst.memory(),
                                                            (int) args[0],
                                                            args[1])));
            case "fd_prestat_get" ->
                    (inst, args) ->
                            result(
                                    files == null
                                            ? ERRNO_BADF
                                            : files.prestatGet(
                                                    inst.memory(), (int) args[0], args[1]));
            case "fd_prestat_dir_name" ->
                    (inst, args) ->
                            result(
                                    files == null
                                            ? ERRNO_BADF
                                            : files.prestatDirName(
                                                    inst.memory(),
                                                    (int) args[0],
                                                    args[1],
                                                    args[2]));
            case "fd_filestat_get" ->
                    (inst, args) ->
                            result(
                                    onFile(
                                            args[0],
                                            ERRNO_NOSYS,
                                            () ->
                                                    files.filestat(
                                                            inst.memory(),
                                                            (int) args[0],
                                                            args[1])));
            case "fd_filestat_set_size" ->
                    (inst, args) ->
                            result(
                                    onFile(
                                            args[0],
                                            ERRNO_INVAL,
                                            () -> files.setSize((int) args[0], args[1])));
            case "fd_readdir" ->
                    (inst, args) ->
                            result(
                                    onFile(
                                            args[0],
                                            ERRNO_BADF,
                                            () ->
                                                    files.readdir(
                                                            inst.memory(),
                                                            (int) args[0],
                                                            args[1],
                                                            args[2],
                                                            args[3],
                                                            args[4])));
            case "fd_fdstat_set_flags",
                    "fd_sync",
                    "fd_datasync",
                    "fd_advise",
                    "fd_allocate",
                    "fd_filestat_set_times" ->
                    (inst, args) -> result(onFile(args[0], ERRNO_SUCCESS, () -> ERRNO_SUCCESS));
            case "path_open" ->
                    (inst, args) ->
                            result(
                                    onPath(
                                            () ->
                                                    files.pathOpen(
                                                            inst.memory(),
                                                            (int) args[0],
                                                            args[2],
                                                            args[3],
                                                            (int) args[4],
                                                            args[5],
                                                            (int) args[7],
                                                            args[8])));
            case "path_filestat_get" ->
                    (inst, args) ->
                            result(
                                    onPath(
                                            () ->
                                                    files.pathFilestat(
                                                            inst.memory(),
                                                            (int) args[0],
                                                            args[2],
                                                            args[3],
                                                            args[4])));
            case "path_create_directory" ->
                    (inst, args) ->
                            result(
                                    onPath(
                                            () ->
                                                    files.createDirectory(
                                                            inst.memory(),
                                                            (int) args[0],
                                                            args[1],
                                                            args[2])));
            case "path_unlink_file" ->
                    (inst, args) ->
                            result(
                                    onPath(
                                            () ->
                                                    files.unlinkFile(
                                                            inst.memory(),
                                                            (int) args[0],
                                                            args[1],
                                                            args[2])));
            case "path_remove_directory" ->
                    (inst, args) ->
                            result(
                                    onPath(
                                            () ->
                                                    files.removeDirectory(
                                                            inst.memory(),
                                                            (int) args[0],
                                                            args[1],
                                                            args[2])));
            case "path_rename" ->
                    (inst, args) ->
                            result(
                                    onPath(
                                            () ->
                                                    files.rename(
                                                            inst.memory(),
                                                            (int) args[0],
                                                            args[1],
                                                            args[2],
                                                            (int) args[3],
                                                            args[4],
                                                            args[5])));
            case "path_readlink" ->
                    (inst, args) ->
                            result(
                                    onPath(
                                            () ->
                                                    files.readlink(
                                                            inst.memory(),
                                                            (int) args[0],
                                                            args[1],
                                                            args[2])));
            case "path_filestat_set_times" -> (inst, args) -> result(onPath(() -> ERRNO_SUCCESS));
            case "path_symlink", "path_link" -> (inst, args) -> result(onPath(() -> ERRNO_PERM));
            case "fd_renumber" -> (inst, args) -> result(onPath(() -> ERRNO_NOTSUP));
            case "proc_exit" ->
                    (inst, args) -> {
                        int code = (int) args[0];
                        if (code == 0) {
                            throw new ExecutionCompletedException("proc_exit: 0");
                        }
                        throw new WasiExitException(code);
                    };
            default -> (inst, args) -> result(ERRNO_NOSYS);
        };
    }

    /**
     * {@code poll_oneoff}, enough for sleeping (Go's and TinyGo's timers, wasi-libc's {@code
     * nanosleep}): clock subscriptions wait until the earliest one is due, interruptibly; read and
     * write subscriptions are ready at once, since stdio and the in-memory files never block.
     */
    private int pollOneoff(Instance inst, long in, long out, long count, long neventsPtr) {
        Memory memory = inst.memory();
        long n = count & 0xFFFFFFFFL;
        if (n == 0 || n > MAX_IOVECS) {
            return ERRNO_INVAL;
        }
        if (!fits(memory, in, n * 48)
                || !fits(memory, out, n * 32)
                || !fits(memory, neventsPtr, 4)) {
            return ERRNO_FAULT;
        }
        long now = System.nanoTime();
        long[] waits = new long[(int) n];
        long earliest = Long.MAX_VALUE;
        boolean anyFd = false;
        for (int i = 0; i < n; i++) {
            int sub = (int) in + i * 48;
            if (memory.read(sub + 8) == 0) {
                long timeout = memory.readLong(sub + 24);
                boolean absolute = (memory.readShort(sub + 40) & 1) != 0;
                long wait =
                        absolute ? timeout - wallOrMonotonic(memory.readInt(sub + 16)) : timeout;
                waits[i] = Math.max(0, wait);
                earliest = Math.min(earliest, waits[i]);
            } else {
                waits[i] = -1;
                anyFd = true;
            }
        }
        if (!anyFd) {
            sleepNanos(earliest - (System.nanoTime() - now));
        }
        int events = 0;
        for (int i = 0; i < n; i++) {
            boolean fd = waits[i] < 0;
            // With a read or write to report, only those are; otherwise the clocks now due are.
            if (anyFd ? !fd : waits[i] > earliest) {
                continue;
            }
            int sub = (int) in + i * 48;
            int event = (int) out + events * 32;
            memory.fill((byte) 0, event, event + 32);
            memory.writeLong(event, memory.readLong(sub));
            memory.writeByte(event + 10, memory.read(sub + 8));
            if (fd) {
                memory.writeLong(event + 16, 1); // some bytes can be read or written
            }
            events++;
        }
        memory.writeI32((int) neventsPtr, events);
        return ERRNO_SUCCESS;
    }

    private static long wallOrMonotonic(int clockId) {
        if (clockId == 0) {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
        return System.nanoTime();
    }

    /** Sleeps; an interrupt (the step's timeout) stops the guest as Chicory's own checks do. */
    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new com.dylibso.chicory.runtime.ChicoryInterruptedException("Thread interrupted");
        }
    }

    /** A descriptor function: {@code stdio} for 0 to 2, the file table's answer for the rest. */
    private int onFile(long fd, int stdio, java.util.function.IntSupplier fileAnswer) {
        if (isStdio(fd)) {
            return stdio;
        }
        return files == null ? ERRNO_BADF : fileAnswer.getAsInt();
    }

    /** A path function: without a tree there is no directory to resolve against. */
    private int onPath(java.util.function.IntSupplier fileAnswer) {
        return files == null ? ERRNO_BADF : fileAnswer.getAsInt();
    }

    private int fdClose(int fd) {
        if (isStdio(fd)) {
            return ERRNO_SUCCESS;
        }
        return files == null ? ERRNO_BADF : files.close(fd);
    }

    private java.util.List<String> environ() {
        return process.env().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList();
    }

    private static long[] result(int errno) {
        return new long[] {errno};
    }

    private static boolean isStdio(long fd) {
        return fd >= 0 && fd <= 2;
    }

    private int fdWrite(
            Instance inst, int fd, long iovs, long iovsLen, long offset, long resultPtr) {
        Memory memory = inst.memory();
        OutputStream out = fd == 1 ? stdout : fd == 2 ? stderr : null;
        if (out == null && (isStdio(fd) || files == null || !files.isOpen(fd))) {
            return ERRNO_BADF;
        }
        int checked = checkIovecs(memory, iovs, iovsLen, resultPtr);
        if (checked != ERRNO_SUCCESS) {
            return checked;
        }
        if (out == null) {
            return files.write(memory, fd, iovs, iovsLen & 0xFFFFFFFFL, offset, resultPtr);
        }
        long written = 0;
        for (int i = 0; i < (iovsLen & 0xFFFFFFFFL); i++) {
            long buf = iovecField(memory, iovs, i, 0);
            long len = iovecField(memory, iovs, i, 4);
            for (long at = 0; at < len; at += CHUNK) {
                stopIfInterrupted();
                int n = (int) Math.min(CHUNK, len - at);
                try {
                    out.write(memory.readBytes((int) (buf + at), n));
                } catch (java.io.IOException e) {
                    return ERRNO_IO;
                }
            }
            written += len;
        }
        memory.writeI32((int) resultPtr, (int) Math.min(written, Integer.MAX_VALUE));
        return ERRNO_SUCCESS;
    }

    private int fdRead(
            Instance inst, int fd, long iovs, long iovsLen, long offset, long resultPtr) {
        Memory memory = inst.memory();
        if (fd != 0 && (isStdio(fd) || files == null || !files.isOpen(fd))) {
            return ERRNO_BADF;
        }
        int checked = checkIovecs(memory, iovs, iovsLen, resultPtr);
        if (checked != ERRNO_SUCCESS) {
            return checked;
        }
        if (fd != 0) {
            return files.read(memory, fd, iovs, iovsLen & 0xFFFFFFFFL, offset, resultPtr);
        }
        if (offset >= 0) {
            return ERRNO_SPIPE;
        }
        byte[] stdin = process.stdin();
        long read = 0;
        for (int i = 0; i < (iovsLen & 0xFFFFFFFFL) && stdinRead < stdin.length; i++) {
            long buf = iovecField(memory, iovs, i, 0);
            int n = (int) Math.min(iovecField(memory, iovs, i, 4), stdin.length - stdinRead);
            memory.write((int) buf, stdin, stdinRead, n);
            stdinRead += n;
            read += n;
        }
        memory.writeI32((int) resultPtr, (int) read);
        return ERRNO_SUCCESS;
    }

    /**
     * Checks an iovec list before anything is read or written: its length against {@link
     * #MAX_IOVECS}, and the list, every buffer it names and the result pointer against memory.
     */
    private static int checkIovecs(Memory memory, long iovs, long iovsLen, long resultPtr) {
        long count = iovsLen & 0xFFFFFFFFL;
        if (count > MAX_IOVECS) {
            return ERRNO_INVAL;
        }
        if (!fits(memory, iovs, count * 8) || !fits(memory, resultPtr, 4)) {
            return ERRNO_FAULT;
        }
        for (int i = 0; i < count; i++) {
            if (!fits(memory, iovecField(memory, iovs, i, 0), iovecField(memory, iovs, i, 4))) {
                return ERRNO_FAULT;
            }
        }
        return ERRNO_SUCCESS;
    }

    /** The buffer address (offset 0) or length (offset 4) of the i-th iovec, unsigned. */
    private static long iovecField(Memory memory, long iovs, int i, int offset) {
        return memory.readInt((int) iovs + i * 8 + offset) & 0xFFFFFFFFL;
    }

    private static int randomGet(Instance inst, long buf, long bufLen) {
        Memory memory = inst.memory();
        long len = bufLen & 0xFFFFFFFFL;
        if (!fits(memory, buf, len)) {
            return ERRNO_FAULT;
        }
        byte[] chunk = new byte[(int) Math.min(CHUNK, len)];
        for (long at = 0; at < len; at += chunk.length) {
            stopIfInterrupted();
            int n = (int) Math.min(chunk.length, len - at);
            ThreadLocalRandom.current().nextBytes(chunk);
            memory.write((int) (buf + at), chunk, 0, n);
        }
        return ERRNO_SUCCESS;
    }

    private static int clockTimeGet(Instance inst, long clockId, long timePtr) {
        Memory memory = inst.memory();
        if (!fits(memory, timePtr, 8)) {
            return ERRNO_FAULT;
        }
        long nanos;
        switch ((int) clockId) {
            case 0 -> {
                java.time.Instant now = java.time.Instant.now();
                nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }
            case 1, 2, 3 -> nanos = System.nanoTime();
            default -> {
                return ERRNO_INVAL;
            }
        }
        memory.writeLong((int) timePtr, nanos);
        return ERRNO_SUCCESS;
    }

    private static int clockResGet(Instance inst, long clockId, long resPtr) {
        Memory memory = inst.memory();
        if (clockId < 0 || clockId > 3) {
            return ERRNO_INVAL;
        }
        if (!fits(memory, resPtr, 8)) {
            return ERRNO_FAULT;
        }
        memory.writeLong((int) resPtr, 1_000L);
        return ERRNO_SUCCESS;
    }

    /** {@code args_sizes_get} and {@code environ_sizes_get}: the count and NUL-ended bytes. */
    private static int sizes(
            Instance inst, java.util.List<String> values, long countPtr, long sizePtr) {
        Memory memory = inst.memory();
        if (!fits(memory, countPtr, 4) || !fits(memory, sizePtr, 4)) {
            return ERRNO_FAULT;
        }
        long bytes = 0;
        for (String value : values) {
            bytes += value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        }
        memory.writeI32((int) countPtr, values.size());
        memory.writeI32((int) sizePtr, (int) bytes);
        return ERRNO_SUCCESS;
    }

    /** {@code args_get} and {@code environ_get}: the pointers, then the NUL-ended strings. */
    private static int strings(Instance inst, java.util.List<String> values, long ptrs, long buf) {
        Memory memory = inst.memory();
        if (!fits(memory, ptrs, 4L * values.size())) {
            return ERRNO_FAULT;
        }
        long at = buf & 0xFFFFFFFFL;
        for (int i = 0; i < values.size(); i++) {
            byte[] bytes = values.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (!fits(memory, at, bytes.length + 1L)) {
                return ERRNO_FAULT;
            }
            memory.writeI32((int) ptrs + 4 * i, (int) at);
            memory.write((int) at, bytes);
            memory.writeByte((int) (at + bytes.length), (byte) 0);
            at += bytes.length + 1;
        }
        return ERRNO_SUCCESS;
    }

    private int fdstat(Instance inst, int fd, long buf) {
        if (!isStdio(fd)) {
            return files == null ? ERRNO_BADF : files.fdstat(inst.memory(), fd, buf);
        }
        Memory memory = inst.memory();
        if (!fits(memory, buf, 24)) {
            return ERRNO_FAULT;
        }
        int at = (int) buf;
        memory.fill((byte) 0, at, at + 24);
        memory.writeByte(at, (byte) 0); // unknown file type: not a terminal
        memory.writeLong(at + 8, fd == 0 ? RIGHT_FD_READ : RIGHT_FD_WRITE);
        return ERRNO_SUCCESS;
    }

    private static boolean fits(Memory memory, long ptr, long len) {
        long p = ptr & 0xFFFFFFFFL;
        return p + len <= (long) memory.pages() * Memory.PAGE_SIZE;
    }

    static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new com.dylibso.chicory.runtime.ChicoryInterruptedException("Thread interrupted");
        }
    }

    private static Map<String, FunctionType> signatures() {
        Map<String, FunctionType> types = new LinkedHashMap<>();
        try (WasiPreview1 reference = WasiPreview1.builder().build()) {
            Arrays.stream(reference.toHostFunctions())
                    .forEach(f -> types.put(f.name(), f.functionType()));
        }
        return Map.copyOf(types);
    }
}
