package io.argowasm.artifacts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * A tar+gzip of one file of zeros, built in milliseconds whatever its unpacked size: each MiB of
 * zeros is deflated once after a full flush (which resets the compressor, so the same input gives
 * the same bytes) and that block is repeated. About 1 KiB per MiB, so 16 MiB unpack to 16 GiB.
 */
public final class ZerosBomb {
    private static final int MIB = 1 << 20;

    private ZerosBomb() {}

    /**
     * @param name the file's name in the archive
     * @param mebibytes the file's size in MiB
     */
    public static byte[] of(String name, long mebibytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(mebibytes * MIB);
        byte[] header = new byte[512];
        // Star mode writes sizes of 8 GiB and more in base-256, as GNU tar does.
        entry.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding("UTF-8"), true);
        return assemble(header, mebibytes);
    }

    private static byte[] assemble(byte[] tarHeader, long mebibytes) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        gzip.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        gzip.writeBytes(deflate(deflater, tarHeader, Deflater.FULL_FLUSH));
        byte[] zeros = new byte[MIB];
        byte[] block = deflate(deflater, zeros, Deflater.FULL_FLUSH);
        for (long i = 0; i < mebibytes; i++) {
            gzip.writeBytes(block);
        }
        // Tar pads to a record and ends with two zero blocks: 10 KiB of zeros covers both.
        deflater.setInput(new byte[10 * 1024]);
        deflater.finish();
        byte[] out = new byte[4096];
        while (!deflater.finished()) {
            gzip.write(out, 0, deflater.deflate(out));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(tarHeader);
        for (long i = 0; i < mebibytes; i++) {
            crc.update(zeros);
        }
        crc.update(new byte[10 * 1024]);
        long size = tarHeader.length + mebibytes * MIB + 10 * 1024;
        gzip.writeBytes(
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt((int) crc.getValue())
                        .putInt((int) size)
                        .array());
        return gzip.toByteArray();
    }

    private static byte[] deflate(Deflater deflater, byte[] input, int flush) {
        deflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, flush);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
        return out.toByteArray();
    }
}
