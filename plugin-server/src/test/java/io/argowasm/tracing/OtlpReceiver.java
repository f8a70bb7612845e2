package io.argowasm.tracing;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/HTTP endpoint for tests: accepts {@code POST /v1/traces} (protobuf) and decodes the
 * spans' names, ids and string attributes with a few lines of protobuf wire format.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One received span. */
    record ReceivedSpan(
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            Map<String, String> attributes) {}

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/v1/traces",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    decodeRequest(body);
                    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, 0);
                    exchange.close();
                });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ExportTraceServiceRequest: 1 resource_spans; ResourceSpans: 2 scope_spans; ScopeSpans: 2
    // spans.
    private void decodeRequest(byte[] body) {
        for (byte[] resourceSpans : fields(body, 1)) {
            for (byte[] scopeSpans : fields(resourceSpans, 2)) {
                for (byte[] span : fields(scopeSpans, 2)) {
                    spans.add(decodeSpan(span));
                }
            }
        }
    }

    // Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes (KeyValue: 1 key,
    // 2 AnyValue: 1 string_value).
    private static ReceivedSpan decodeSpan(byte[] span) {
        Map<String, String> attributes = new HashMap<>();
        for (byte[] keyValue : fields(span, 9)) {
            String key = string(first(keyValue, 1));
            byte[] value = first(keyValue, 2);
            byte[] text = value == null ? null : first(value, 1);
            if (text != null) {
                attributes.put(key, string(text));
            }
        }
        return new ReceivedSpan(
                hex(first(span, 1)),
                hex(first(span, 2)),
                hex(first(span, 4)),
                string(first(span, 5)),
                attributes);
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "" : HexFormat.of().formatHex(bytes);
    }

    private static String string(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] first(byte[] message, int field) {
        List<byte[]> all = fields(message, field);
        return all.isEmpty() ? null : all.get(0);
    }

    /** The length-delimited values of one field number; other fields are skipped. */
    private static List<byte[]> fields(byte[] message, int wanted) {
        List<byte[]> found = new ArrayList<>();
        int[] at = {0};
        while (at[0] < message.length) {
            long tag = varint(message, at);
            int field = (int) (tag >>> 3);
            int type = (int) (tag & 7);
            switch (type) {
                case 0 -> varint(message, at);
                case 1 -> at[0] += 8;
                case 5 -> at[0] += 4;
                case 2 -> {
                    int length = (int) varint(message, at);
                    if (field == wanted) {
                        ByteArrayOutputStream value = new ByteArrayOutputStream();
                        value.write(message, at[0], length);
                        found.add(value.toByteArray());
                    }
                    at[0] += length;
                }
                default -> throw new IllegalArgumentException("wire type " + type);
            }
        }
        return found;
    }

    private static long varint(byte[] message, int[] at) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = message[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }
}
