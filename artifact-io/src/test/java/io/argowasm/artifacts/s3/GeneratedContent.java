package io.argowasm.artifacts.s3;

import java.io.InputStream;
import java.util.zip.CRC32;

/**
 * A deterministic stream of pseudo-text (16 letters, so gzip has some work to do) that is never
 * stored: it is computed as it is read, with a CRC32 of everything read so far.
 */
public final class GeneratedContent extends InputStream {
    private static final byte[] LETTERS = "etaoinshrdlucmfw".getBytes();

    private final long size;
    private final CRC32 crc = new CRC32();
    private long produced;
    private long state;

    public GeneratedContent(long size, long seed) {
        this.size = size;
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
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
            for (int j = 0; j < 16 && i < count; j++, i++) {
                buffer[offset + i] = LETTERS[(int) (bits & 0xf)];
                bits >>>= 4;
            }
        }
        crc.update(buffer, offset, count);
        produced += count;
        return count;
    }

    /** CRC32 of the bytes read so far. */
    public long crc() {
        return crc.getValue();
    }
}
