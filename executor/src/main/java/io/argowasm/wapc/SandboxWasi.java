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
 * WASI preview1 for waPC guests, with nothing granted: no files, no arguments, no environment, an
 * empty stdin; stdout and stderr go to the guest's output. Written here rather than taken from
 * Chicory so that every length a guest passes is checked against its memory before anything is read
 * or allocated, and long writes stop when the step is stopped. Every other WASI function exists
 * with its proper signature and answers {@code ENOSYS} or {@code EBADF}.
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

    private final OutputStream stdout;
    private final OutputStream stderr;

    SandboxWasi(OutputStream stdout, OutputStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
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
                    (inst, args) -> result(fdWrite(inst, (int) args[0], args[1], args[2], args[3]));
            case "fd_read" ->
                    (inst, args) -> result(fdRead(inst, (int) args[0], args[1], args[2], args[3]));
            case "random_get" -> (inst, args) -> result(randomGet(inst, args[0], args[1]));
            case "clock_time_get" -> (inst, args) -> result(clockTimeGet(inst, args[0], args[2]));
            case "clock_res_get" -> (inst, args) -> result(clockResGet(inst, args[0], args[1]));
            case "args_sizes_get", "environ_sizes_get" ->
                    (inst, args) -> result(zeroSizes(inst, args[0], args[1]));
            case "args_get", "environ_get", "sched_yield" -> (inst, args) -> result(ERRNO_SUCCESS);
            case "fd_fdstat_get" -> (inst, args) -> result(fdstat(inst, (int) args[0], args[1]));
            case "fd_close" ->
                    (inst, args) -> result(isStdio(args[0]) ? ERRNO_SUCCESS : ERRNO_BADF);
            case "fd_seek", "fd_tell" ->
                    (inst, args) -> result(isStdio(args[0]) ? ERRNO_SPIPE : ERRNO_BADF);
            case "fd_prestat_get", "fd_prestat_dir_name" -> (inst, args) -> result(ERRNO_BADF);
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

    private static long[] result(int errno) {
        return new long[] {errno};
    }

    private static boolean isStdio(long fd) {
        return fd >= 0 && fd <= 2;
    }

    private int fdWrite(Instance inst, int fd, long iovs, long iovsLen, long nwrittenPtr) {
        OutputStream out = fd == 1 ? stdout : fd == 2 ? stderr : null;
        if (out == null) {
            return ERRNO_BADF;
        }
        Memory memory = inst.memory();
        int checked = checkIovecs(memory, iovs, iovsLen, nwrittenPtr);
        if (checked != ERRNO_SUCCESS) {
            return checked;
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
        memory.writeI32((int) nwrittenPtr, (int) Math.min(written, Integer.MAX_VALUE));
        return ERRNO_SUCCESS;
    }

    private static int fdRead(Instance inst, int fd, long iovs, long iovsLen, long nreadPtr) {
        if (fd != 0) {
            return ERRNO_BADF;
        }
        Memory memory = inst.memory();
        int checked = checkIovecs(memory, iovs, iovsLen, nreadPtr);
        if (checked == ERRNO_SUCCESS) {
            memory.writeI32((int) nreadPtr, 0); // stdin is empty: end of file
        }
        return checked;
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

    private static int zeroSizes(Instance inst, long countPtr, long sizePtr) {
        Memory memory = inst.memory();
        if (!fits(memory, countPtr, 4) || !fits(memory, sizePtr, 4)) {
            return ERRNO_FAULT;
        }
        memory.writeI32((int) countPtr, 0);
        memory.writeI32((int) sizePtr, 0);
        return ERRNO_SUCCESS;
    }

    private static int fdstat(Instance inst, int fd, long buf) {
        if (!isStdio(fd)) {
            return ERRNO_BADF;
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

    private static void stopIfInterrupted() {
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
