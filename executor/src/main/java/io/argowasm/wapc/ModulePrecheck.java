package io.argowasm.wapc;

/**
 * A walk over a module's binary structure before Chicory parses it, refusing what would make the
 * parser allocate far more than the module's bytes: vector counts larger than the bytes left to
 * hold them, data segments longer than their section, more locals, functions or code than a host
 * should accept. The limits are V8's, so a module that runs in browsers passes.
 */
final class ModulePrecheck {

    /** V8's {@code kV8MaxWasmFunctions}. */
    static final long MAX_FUNCTIONS = 1_000_000;

    /** V8's {@code kV8MaxWasmFunctionLocals}. */
    static final long MAX_LOCALS_PER_FUNCTION = 50_000;

    /** V8's {@code kV8MaxWasmFunctionSize}. */
    static final long MAX_FUNCTION_BODY_BYTES = 7_654_321;

    /** V8's {@code kV8MaxWasmFunctionParams} and returns. */
    static final long MAX_FUNCTION_PARAMS = 1_000;

    private final byte[] bytes;
    private int pos;
    private long functions;

    private ModulePrecheck(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Checks the structure; assumes the magic bytes were checked.
     *
     * @return how many functions the module defines
     * @throws InvalidModuleException naming what is out of bounds
     */
    static long check(byte[] bytes) throws InvalidModuleException {
        try {
            ModulePrecheck walk = new ModulePrecheck(bytes);
            walk.sections();
            return walk.functions;
        } catch (Malformed e) {
            throw new InvalidModuleException(
                    "is not a valid WebAssembly module (%s)".formatted(e.getMessage()));
        }
    }

    private void sections() {
        pos = 8;
        while (pos < bytes.length) {
            int id = u8(bytes.length);
            long size = u32(bytes.length);
            int end = within(size, bytes.length, "section %s".formatted(id));
            switch (id) {
                case 1 -> types(end);
                case 3 -> functions(end);
                case 9 -> elements(end);
                case 10 -> code(end);
                case 11 -> data(end);
                case 2, 4, 5, 6, 7, 13 -> count(end, "section %s".formatted(id));
                default -> {}
            }
            pos = end;
        }
    }

    private void types(int end) {
        long n = count(end, "type section");
        for (long i = 0; i < n; i++) {
            int form = u8(end);
            if (form == 0x4e) {
                long members = count(end, "recursive type group");
                for (long m = 0; m < members; m++) {
                    subType(u8(end), end);
                }
            } else {
                subType(form, end);
            }
        }
    }

    private void subType(int form, int end) {
        if (form == 0x50 || form == 0x4f) {
            long supers = count(end, "supertype list");
            for (long s = 0; s < supers; s++) {
                u32(end);
            }
            form = u8(end);
        }
        switch (form) {
            case 0x60 -> {
                for (String list : new String[] {"parameters", "results"}) {
                    long k = count(end, list);
                    if (k > MAX_FUNCTION_PARAMS) {
                        throw new Malformed(
                                "a function type has %,d %s; at most %,d are allowed"
                                        .formatted(k, list, MAX_FUNCTION_PARAMS));
                    }
                    for (long v = 0; v < k; v++) {
                        valueType(end);
                    }
                }
            }
            case 0x5f -> {
                long fields = count(end, "struct fields");
                for (long f = 0; f < fields; f++) {
                    fieldType(end);
                }
            }
            case 0x5e -> fieldType(end);
            default -> throw new Malformed("unknown type form 0x%02x".formatted(form));
        }
    }

    private void fieldType(int end) {
        int storage = peek(end);
        if (storage == 0x78 || storage == 0x77) {
            pos++;
        } else {
            valueType(end);
        }
        u8(end);
    }

    private void valueType(int end) {
        int type = u8(end);
        if (type == 0x63 || type == 0x64) {
            leb(end, 33);
        }
    }

    private void functions(int end) {
        long n = count(end, "function section");
        functions = n;
        if (n > MAX_FUNCTIONS) {
            throw new Malformed(
                    "it declares %,d functions; at most %,d are allowed"
                            .formatted(n, MAX_FUNCTIONS));
        }
    }

    private void code(int end) {
        long n = count(end, "code section");
        for (long f = 0; f < n; f++) {
            long size = u32(end);
            if (size > MAX_FUNCTION_BODY_BYTES) {
                throw new Malformed(
                        "function %,d has %,d bytes of code; at most %,d are allowed"
                                .formatted(f, size, MAX_FUNCTION_BODY_BYTES));
            }
            int bodyEnd = within(size, end, "function body");
            long groups = count(bodyEnd, "local declarations");
            long locals = 0;
            for (long g = 0; g < groups; g++) {
                locals += u32(bodyEnd);
                if (locals > MAX_LOCALS_PER_FUNCTION) {
                    throw new Malformed(
                            "function %,d declares more than %,d locals"
                                    .formatted(f, MAX_LOCALS_PER_FUNCTION));
                }
                valueType(bodyEnd);
            }
            pos = bodyEnd;
        }
    }

    private void data(int end) {
        long n = count(end, "data section");
        for (long i = 0; i < n; i++) {
            long mode = u32(end);
            if (mode == 2) {
                u32(end);
            }
            if (mode == 0 || mode == 2) {
                expression(end);
            } else if (mode != 1) {
                throw new Malformed("unknown data segment mode %s".formatted(mode));
            }
            long length = u32(end);
            pos = within(length, end, "data segment %s".formatted(i));
        }
    }

    private void elements(int end) {
        long n = count(end, "element section");
        for (long i = 0; i < n; i++) {
            long flags = u32(end);
            if (flags > 7) {
                throw new Malformed("unknown element segment kind %s".formatted(flags));
            }
            boolean passiveOrDeclarative = (flags & 1) != 0;
            boolean explicitTable = (flags & 2) != 0;
            boolean expressions = (flags & 4) != 0;
            if (!passiveOrDeclarative) {
                if (explicitTable) {
                    u32(end);
                }
                expression(end);
            }
            if (passiveOrDeclarative || explicitTable) {
                if (expressions) {
                    valueType(end);
                } else {
                    u8(end);
                }
            }
            long items = count(end, "element segment %s".formatted(i));
            for (long k = 0; k < items; k++) {
                if (expressions) {
                    expression(end);
                } else {
                    u32(end);
                }
            }
        }
    }

    /** Skips a constant expression up to its {@code end}. */
    private void expression(int end) {
        while (true) {
            int op = u8(end);
            switch (op) {
                case 0x0b -> {
                    return;
                }
                case 0x41, 0x23, 0xd2 -> leb(end, 64);
                case 0x42 -> leb(end, 64);
                case 0x43 -> pos = within(4, end, "f32.const");
                case 0x44 -> pos = within(8, end, "f64.const");
                case 0xd0 -> leb(end, 33);
                case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e -> {}
                default ->
                        throw new Malformed(
                                "opcode 0x%02x in a constant expression is not accepted"
                                        .formatted(op));
            }
        }
    }

    /** Reads a vector's count, which cannot exceed the bytes left to hold its elements. */
    private long count(int end, String what) {
        long n = u32(end);
        if (n > end - pos) {
            throw new Malformed(
                    "the %s claims %,d entries but only %,d bytes follow"
                            .formatted(what, n, end - pos));
        }
        return n;
    }

    private int within(long length, int end, String what) {
        if (length > end - pos) {
            throw new Malformed(
                    "the %s claims %,d bytes but only %,d follow"
                            .formatted(what, length, end - pos));
        }
        return pos + (int) length;
    }

    private int peek(int end) {
        if (pos >= end) {
            throw new Malformed("unexpected end at byte %s".formatted(pos));
        }
        return bytes[pos] & 0xff;
    }

    private int u8(int end) {
        int b = peek(end);
        pos++;
        return b;
    }

    private long u32(int end) {
        return leb(end, 32);
    }

    private long leb(int end, int bits) {
        long result = 0;
        int shift = 0;
        int maxBytes = (bits + 6) / 7;
        for (int i = 0; i < maxBytes; i++) {
            int b = u8(end);
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return bits == 32 ? result & 0xFFFFFFFFL : result;
            }
            shift += 7;
        }
        throw new Malformed("an integer at byte %,d is too long".formatted(pos));
    }

    /** Thrown inside the walk; turned into an {@link InvalidModuleException}. */
    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
