package io.argowasm.wapc;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code wasi_experimental_http} imports (deislabs/wasi-experimental-http 0.9/0.10, as the
 * earlier WASI plugin linked them) over the step's {@link HttpExchange}: {@code req}, {@code
 * close}, {@code header_get}, {@code headers_get_all} and {@code body_read}, each returning the
 * crate's error code. Headers travel as {@code name:value} lines. A module that imports them runs
 * whether or not the step allows HTTP; a refused request answers {@code destination_not_allowed}.
 */
final class ExperimentalHttp {

    static final String MODULE = "wasi_experimental_http";

    // The crate's http_error codes.
    static final int SUCCESS = 0;
    static final int INVALID_HANDLE = 1;
    static final int MEMORY_ACCESS_ERROR = 3;
    static final int BUFFER_TOO_SMALL = 4;
    static final int HEADER_NOT_FOUND = 5;
    static final int UTF8_ERROR = 6;
    static final int DESTINATION_NOT_ALLOWED = 7;
    static final int INVALID_ENCODING = 9;
    static final int REQUEST_ERROR = 11;
    static final int TOO_MANY_SESSIONS = 13;

    private static final int MAX_TEXT = 64 * 1024;
    private static final int MAX_OPEN_RESPONSES = 8;
    private static final Set<String> NAMES =
            Set.of("req", "close", "header_get", "headers_get_all", "body_read");

    private final CallState state;
    private final Map<Integer, Open> responses = new HashMap<>();
    private int nextHandle = 1;

    private static final class Open {
        final HttpExchange.Response response;
        int position;

        Open(HttpExchange.Response response) {
            this.response = response;
        }
    }

    private ExperimentalHttp(CallState state) {
        this.state = state;
    }

    static boolean provides(String name) {
        return NAMES.contains(name);
    }

    static HostFunction[] functions(CallState state) {
        ExperimentalHttp http = new ExperimentalHttp(state);
        return new HostFunction[] {
            fn("req", 10, http::req),
            fn("close", 1, (inst, args) -> result(http.close((int) args[0]))),
            fn("header_get", 6, http::headerGet),
            fn("headers_get_all", 4, http::headersGetAll),
            fn("body_read", 4, http::bodyRead),
        };
    }

    private long[] req(Instance inst, long... args) {
        GuestMemory memory = new GuestMemory(inst.memory(), MODULE + ".req");
        String url;
        String method;
        String headerText;
        try {
            url = utf8(memory.read(args[0], args[1], MAX_TEXT));
            method = utf8(memory.read(args[2], args[3], MAX_TEXT));
            headerText = utf8(memory.read(args[4], args[5], MAX_TEXT));
        } catch (java.nio.charset.CharacterCodingException e) {
            return result(UTF8_ERROR);
        }
        byte[] body = memory.read(args[6], args[7], state.maxHostPayloadBytes());
        Map<String, List<String>> headers = parseHeaders(headerText);
        if (headers == null) {
            return result(INVALID_ENCODING);
        }
        if (responses.size() >= MAX_OPEN_RESPONSES) {
            return result(TOO_MANY_SESSIONS);
        }
        HttpExchange.Response response;
        try {
            response =
                    state.http()
                            .send(
                                    new HttpExchange.Request(
                                            method.toUpperCase(Locale.ROOT), url, headers, body));
        } catch (HostCallException e) {
            state.print(
                    GuestOutput.Stream.stderr,
                    "wasi_experimental_http: %s".formatted(e.getMessage()));
            return result(
                    e.getMessage().contains("not allowed")
                            ? DESTINATION_NOT_ALLOWED
                            : REQUEST_ERROR);
        }
        int handle = nextHandle++;
        responses.put(handle, new Open(response));
        byte[] status = {(byte) response.status(), (byte) (response.status() >> 8)};
        memory.write(args[8], status);
        memory.write(args[9], le32(handle));
        return result(SUCCESS);
    }

    private int close(int handle) {
        return responses.remove(handle) == null ? INVALID_HANDLE : SUCCESS;
    }

    private long[] headerGet(Instance inst, long... args) {
        Open open = responses.get((int) args[0]);
        if (open == null) {
            return result(INVALID_HANDLE);
        }
        GuestMemory memory = new GuestMemory(inst.memory(), MODULE + ".header_get");
        String name;
        try {
            name = utf8(memory.read(args[1], args[2], MAX_TEXT));
        } catch (java.nio.charset.CharacterCodingException e) {
            return result(UTF8_ERROR);
        }
        String value = null;
        for (Map.Entry<String, List<String>> e : open.response.headers().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                value = e.getValue().get(0);
                break;
            }
        }
        if (value == null) {
            return result(HEADER_NOT_FOUND);
        }
        return writeOut(memory, value.getBytes(StandardCharsets.UTF_8), args[3], args[4], args[5]);
    }

    private long[] headersGetAll(Instance inst, long... args) {
        Open open = responses.get((int) args[0]);
        if (open == null) {
            return result(INVALID_HANDLE);
        }
        StringBuilder text = new StringBuilder();
        open.response
                .headers()
                .forEach(
                        (name, values) ->
                                values.forEach(
                                        v ->
                                                text.append(name.toLowerCase(Locale.ROOT))
                                                        .append(':')
                                                        .append(v)
                                                        .append('\n')));
        GuestMemory memory = new GuestMemory(inst.memory(), MODULE + ".headers_get_all");
        return writeOut(
                memory,
                text.toString().getBytes(StandardCharsets.UTF_8),
                args[1],
                args[2],
                args[3]);
    }

    private long[] bodyRead(Instance inst, long... args) {
        Open open = responses.get((int) args[0]);
        if (open == null) {
            return result(INVALID_HANDLE);
        }
        GuestMemory memory = new GuestMemory(inst.memory(), MODULE + ".body_read");
        byte[] body = open.response.body();
        int n = (int) Math.min(args[2] & 0xFFFFFFFFL, body.length - open.position);
        byte[] chunk = java.util.Arrays.copyOfRange(body, open.position, open.position + n);
        memory.write(args[1], chunk);
        open.position += n;
        memory.write(args[3], le32(n));
        return result(SUCCESS);
    }

    private static long[] writeOut(
            GuestMemory memory, byte[] bytes, long bufPtr, long bufLen, long writtenPtr) {
        if (bytes.length > (bufLen & 0xFFFFFFFFL)) {
            return result(BUFFER_TOO_SMALL);
        }
        memory.write(bufPtr, bytes);
        memory.write(writtenPtr, le32(bytes.length));
        return result(SUCCESS);
    }

    /** The crate's header encoding: one {@code name:value} per line; null when malformed. */
    private static Map<String, List<String>> parseHeaders(String text) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return Collections.unmodifiableMap(headers);
    }

    private static String utf8(byte[] bytes) throws java.nio.charset.CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .decode(java.nio.ByteBuffer.wrap(bytes))
                .toString();
    }

    private static byte[] le32(int value) {
        return new byte[] {
            (byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)
        };
    }

    private static long[] result(int code) {
        return new long[] {code};
    }

    private static HostFunction fn(String name, int params, WasmFunctionHandle handle) {
        List<ValType> types = Collections.nCopies(params, ValType.I32);
        return new HostFunction(MODULE, name, FunctionType.of(types, List.of(ValType.I32)), handle);
    }
}
