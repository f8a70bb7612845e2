package io.argowasm.module;

import java.io.IOException;
import java.io.InputStream;

/**
 * The largest module accepted (--max-module-size), enforced the same way for downloads and files.
 */
record ModuleSizeCap(long maxBytes) {

    /**
     * Reads a module, stopping one byte past the cap whatever the source claims about its size.
     *
     * @param what how the message names the module, e.g. "module https://..." or "module file /m"
     */
    byte[] read(InputStream in, String what) throws IOException, ModuleLoadException {
        byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > maxBytes) {
            throw exceeded(what);
        }
        return bytes;
    }

    /** Refuses a module whose declared size is already over the cap. */
    void check(long declaredBytes, String what) throws ModuleLoadException {
        if (declaredBytes > maxBytes) {
            throw exceeded(what);
        }
    }

    private ModuleLoadException exceeded(String what) {
        return new ModuleLoadException(
                "%s is larger than the %d MiB module size cap (%s)"
                        .formatted(what, maxBytes >> 20, ModuleFlags.MAX_MODULE_SIZE));
    }
}
