package io.argowasm.e2e;

import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * A stream of pseudo-random bytes that is never stored: computed as it is read, with a CRC32C of
 * everything read so far.
 */
final class GeneratedBytes extends InputStream {

    private final long size;
    private final CRC32C crc = new CRC32C();
    private long produced;
    private long state = 0x9E3779B97F4A7C15L;

    GeneratedBytes(long size) {
        this.size = size;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (produced == size) {
            return -1;
        }
        int count = (int) Math.min(length, size - produced);
        for (int i = 0; i < count; ) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            long bits = state;
            for (int j = 0; j < Long.BYTES && i < count; j++, i++) {
                buffer[offset + i] = (byte) bits;
                bits >>>= 8;
            }
        }
        crc.update(buffer, offset, count);
        produced += count;
        return count;
    }

    /** CRC32C of the bytes read so far. */
    long crc() {
        return crc.getValue();
    }
}
