package io.argowasm.exec;

import io.argowasm.wapc.HostCall;
import io.argowasm.wapc.HostCallException;
import io.argowasm.wapc.HttpExchange;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The waPC {@code http} binding: operation {@code request} takes {@code {"method":"GET","url":
 * "...","headers":{"name":"value"},"body":"text"}} (or {@code bodyBase64}) and answers {@code
 * {"status":200,"headers":{"name":["value"]},"body":"text"}}, with {@code bodyBase64} instead of
 * {@code body} when the body is not UTF-8. A refused or failed request is a host error naming why.
 */
final class HttpBinding implements HostCall {

    private final JsonMapper json;
    private final HttpExchange exchange;

    HttpBinding(JsonMapper json, HttpExchange exchange) {
        this.json = json;
        this.exchange = exchange;
    }

    @Override
    public byte[] call(String namespace, String operation, byte[] payload)
            throws HostCallException {
        if (!operation.equals("request")) {
            throw new HostCallException(
                    "unknown http operation '%s'; the http binding offers: request"
                            .formatted(operation));
        }
        HttpExchange.Response response = exchange.send(request(payload));
        ObjectNode answer = json.createObjectNode();
        answer.put("status", response.status());
        ObjectNode headers = answer.putObject("headers");
        response.headers().forEach((name, values) -> values.forEach(headers.withArray(name)::add));
        try {
            answer.put(
                    "body",
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .decode(ByteBuffer.wrap(response.body()))
                            .toString());
        } catch (CharacterCodingException e) {
            answer.put("bodyBase64", Base64.getEncoder().encodeToString(response.body()));
        }
        return json.writeValueAsBytes(answer);
    }

    private HttpExchange.Request request(byte[] payload) throws HostCallException {
        String shape =
                "; send {\"method\":\"GET\",\"url\":\"https://...\",\"headers\":{},\"body\":\"\"}";
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (JacksonException e) {
            throw new HostCallException("the http request is not JSON%s".formatted(shape));
        }
        if (root == null || !root.isObject() || !root.path("url").isString()) {
            throw new HostCallException("the http request has no url%s".formatted(shape));
        }
        String method = root.path("method").isString() ? root.get("method").asString() : "GET";
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> h : root.path("headers").properties()) {
            List<String> values = new ArrayList<>();
            if (h.getValue().isArray()) {
                h.getValue().forEach(v -> values.add(v.asString()));
            } else {
                values.add(h.getValue().asString());
            }
            headers.put(h.getKey(), values);
        }
        byte[] body = new byte[0];
        if (root.path("bodyBase64").isString()) {
            try {
                body = Base64.getDecoder().decode(root.get("bodyBase64").asString());
            } catch (IllegalArgumentException e) {
                throw new HostCallException("the http request's bodyBase64 is not base64");
            }
        } else if (root.path("body").isString()) {
            body = root.get("body").asString().getBytes(StandardCharsets.UTF_8);
        }
        return new HttpExchange.Request(
                method.toUpperCase(java.util.Locale.ROOT),
                root.get("url").asString(),
                headers,
                body);
    }
}
