package io.argowasm.module.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * User names and passwords for registries, from the {@code auths} of a Docker config file ({@code
 * ~/.docker/config.json}, the {@code .dockerconfigjson} of a pull secret). Entries are matched to a
 * reference as Kubernetes matches them: a key is a host (globs such as {@code *.example.com}
 * allowed per part), an optional port that must equal the reference's, and an optional path that
 * must prefix the repository; the most specific key wins.
 */
public final class RegistryCredentials {

    /** A user name and password for one registry. */
    public record Login(String username, String password) {
        @Override
        public String toString() {
            return "Login[" + username + "]";
        }
    }

    private record Entry(String key, String host, String port, String path, Login login) {}

    private static final RegistryCredentials NONE = new RegistryCredentials(List.of());

    private final List<Entry> entries;

    private RegistryCredentials(List<Entry> entries) {
        this.entries =
                entries.stream()
                        .sorted(
                                Comparator.comparing(
                                                (Entry e) ->
                                                        e.host() + ":" + e.port() + "/" + e.path())
                                        .reversed())
                        .toList();
    }

    private RegistryCredentials(List<Entry> first, List<Entry> then) {
        List<Entry> joined = new ArrayList<>(first);
        joined.addAll(then);
        this.entries = List.copyOf(joined);
    }

    /**
     * These logins first, then {@code later}'s: a step's pull secrets before the sidecar's own
     * config, each matched most specific key first.
     */
    public RegistryCredentials and(RegistryCredentials later) {
        if (later.entries.isEmpty()) {
            return this;
        }
        return entries.isEmpty() ? later : new RegistryCredentials(entries, later.entries);
    }

    /** Whether there is no login at all. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** No credentials: every pull is anonymous. */
    public static RegistryCredentials none() {
        return NONE;
    }

    /** One login for one registry key, as {@code push --username} gives it. */
    public static RegistryCredentials of(String key, Login login) {
        return new RegistryCredentials(List.of(entry(key, login)));
    }

    /**
     * Reads a Docker config file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static RegistryCredentials read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "registry config %s could not be read: %s".formatted(file, e.getMessage()), e);
        }
    }

    /**
     * Reads the JSON of a Docker config: {@code {"auths": {KEY: {"auth": base64(user:pass)}}}}, or
     * the bare map of the legacy {@code .dockercfg}.
     *
     * @param source how messages name where the JSON came from
     */
    public static RegistryCredentials parse(String json, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "registry config %s is not JSON: %s".formatted(source, e.getOriginalMessage()),
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    "registry config %s must be a JSON object with \"auths\"".formatted(source));
        }
        JsonNode auths = root.has("auths") ? root.get("auths") : root;
        List<Entry> entries = new ArrayList<>();
        if (auths.isObject()) {
            for (String key : auths.propertyNames()) {
                login(auths.get(key), key, source).ifPresent(l -> entries.add(entry(key, l)));
            }
        }
        return new RegistryCredentials(entries);
    }

    private static Optional<Login> login(JsonNode node, String key, String source) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        String auth = text(node, "auth");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "registry config %s: auths.\"%s\".auth is not base64"
                                .formatted(source, key));
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(
                        "registry config %s: auths.\"%s\".auth is not base64 of user:password"
                                .formatted(source, key));
            }
            return Optional.of(
                    new Login(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        String username = text(node, "username");
        if (!username.isEmpty()) {
            return Optional.of(new Login(username, text(node, "password")));
        }
        return Optional.empty();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : "";
    }

    private static Entry entry(String key, Login login) {
        String s = key.trim().toLowerCase(Locale.ROOT);
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        String host = s;
        String path = "";
        int slash = s.indexOf('/');
        if (slash >= 0) {
            host = s.substring(0, slash);
            path = s.substring(slash + 1);
        }
        String port = "";
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && !host.endsWith("]")) {
            port = host.substring(colon + 1);
            host = host.substring(0, colon);
        }
        // Docker Hub's own key names its old index API; images on it are matched to it.
        if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
            host = OciReference.DOCKER_HUB;
            path = path.equals("v1") || path.equals("v2") ? "" : path;
        }
        return new Entry(key, host, port, path, login);
    }

    /** The login for a reference's registry and repository, the most specific key first. */
    public Optional<Login> find(OciReference ref) {
        String host = ref.hostName().toLowerCase(Locale.ROOT);
        String port = ref.registry().substring(ref.hostName().length());
        port = port.startsWith(":") ? port.substring(1) : "";
        for (Entry entry : entries) {
            if (hostMatches(entry.host(), host)
                    && entry.port().equals(port)
                    && pathMatches(entry.path(), ref.repository())) {
                return Optional.of(entry.login());
            }
        }
        return Optional.empty();
    }

    private static boolean hostMatches(String glob, String host) {
        String[] globParts = glob.split("\\.", -1);
        String[] hostParts = host.split("\\.", -1);
        if (globParts.length != hostParts.length) {
            return false;
        }
        for (int i = 0; i < globParts.length; i++) {
            if (!globPart(globParts[i]).matcher(hostParts[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Pattern globPart(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(
                    switch (c) {
                        case '*' -> "[^.]*";
                        case '?' -> "[^.]";
                        default -> Pattern.quote(String.valueOf(c));
                    });
        }
        return Pattern.compile(regex.toString());
    }

    private static boolean pathMatches(String prefix, String repository) {
        return prefix.isEmpty() || repository.equals(prefix) || repository.startsWith(prefix + "/");
    }
}
