package io.argowasm.wapc;

import com.dylibso.chicory.runtime.Memory;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked access to a guest's linear memory on behalf of one host function. Pointers and
 * lengths arrive as unsigned 32-bit values; anything outside memory or over a cap is a protocol
 * violation that stops the guest, never an exception the host did not expect.
 */
final class GuestMemory {

    private final Memory memory;
    private final String function;

    GuestMemory(Memory memory, String function) {
        this.memory = memory;
        this.function = function;
    }

    byte[] read(long ptr, long len, int cap) {
        long p = ptr & 0xFFFFFFFFL;
        long n = len & 0xFFFFFFFFL;
        if (n > cap) {
            throw new GuestViolation(
                    "%s was given %s bytes, more than the limit of %s".formatted(function, n, cap));
        }
        check(p, n);
        return memory.readBytes((int) p, (int) n);
    }

    String readText(long ptr, long len, int cap) {
        return new String(read(ptr, len, cap), StandardCharsets.UTF_8);
    }

    void write(long ptr, byte[] bytes) {
        long p = ptr & 0xFFFFFFFFL;
        check(p, bytes.length);
        memory.write((int) p, bytes);
    }

    private void check(long p, long n) {
        long size = (long) memory.pages() * Memory.PAGE_SIZE;
        if (p + n > size) {
            throw new GuestViolation(
                    ("%s was given a buffer outside the guest's memory (pointer"
                                    + " %s, length %s, memory size %s)")
                            .formatted(function, p, n, size));
        }
    }
}
