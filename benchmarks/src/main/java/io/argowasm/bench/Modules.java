package io.argowasm.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Module bytes as the benchmarks need them. */
final class Modules {

    private Modules() {}

    /**
     * The same module with a custom section appended that holds a nonce: identical code, another
     * sha256, so the sidecar has never seen it and must fetch and compile it.
     */
    static byte[] withNonce(byte[] module, String nonce) {
        byte[] name = "bench-nonce".getBytes(StandardCharsets.UTF_8);
        byte[] value = nonce.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        leb128(payload, name.length);
        payload.writeBytes(name);
        payload.writeBytes(value);
        ByteArrayOutputStream out = new ByteArrayOutputStream(module.length + 64);
        out.writeBytes(module);
        out.write(0);
        leb128(out, payload.size());
        out.writeBytes(payload.toByteArray());
        return out.toByteArray();
    }

    private static void leb128(ByteArrayOutputStream out, int value) {
        int rest = value;
        do {
            int b = rest & 0x7f;
            rest >>>= 7;
            out.write(rest == 0 ? b : b | 0x80);
        } while (rest != 0);
    }
}
