package io.argowasm.module.oci;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A registry's {@code WWW-Authenticate} answer: {@code Basic realm="..."} or {@code Bearer
 * realm="https://auth.example/token",service="...",scope="..."}.
 *
 * @param scheme {@code basic} or {@code bearer}, lower case
 * @param params the parameters, names lower case
 */
record AuthChallenge(String scheme, Map<String, String> params) {

    static AuthChallenge parse(String header) {
        String h = header.trim();
        int space = h.indexOf(' ');
        String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        int i = space < 0 ? h.length() : space + 1;
        while (i < h.length()) {
            while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
                i++;
            }
            int eq = h.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < h.length() && h.charAt(i) == '"') {
                i++;
                while (i < h.length() && h.charAt(i) != '"') {
                    if (h.charAt(i) == '\\' && i + 1 < h.length()) {
                        i++;
                    }
                    value.append(h.charAt(i++));
                }
                i++;
            } else {
                while (i < h.length() && h.charAt(i) != ',') {
                    value.append(h.charAt(i++));
                }
            }
            params.put(name, value.toString().trim());
        }
        return new AuthChallenge(scheme, params);
    }

    boolean isBasic() {
        return scheme.equals("basic");
    }

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    String param(String name) {
        return params.getOrDefault(name, "");
    }
}
