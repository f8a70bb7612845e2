package io.argowasm.module.oci;

import io.argowasm.artifacts.LazyHttpClient;
import io.argowasm.module.Digests;
import io.argowasm.module.ModuleLoadException;
import io.argowasm.module.ModuleSourcePolicy;
import io.argowasm.module.Redirects;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Talks HTTP to registries: answers their auth challenges (Basic, and Bearer tokens fetched
 * anonymously or with the registry's login), caches tokens per registry and scope, and follows
 * redirects one hop at a time under the module source policy, never sending the {@code
 * Authorization} header past the registry itself. Plain http only for registries named in {@code
 * --allow-insecure-registries}.
 */
public final class RegistryClient {

    static final int MAX_REDIRECTS = 5;

    private final ModuleSourcePolicy policy;
    private final Set<String> insecure;
    private final RegistryCredentials credentials;
    private final Duration timeout;
    private final LazyHttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Map<String, Token>> tokens = new ConcurrentHashMap<>();

    private record Token(String header, Instant expires) {}

    /**
     * @param insecure registries (host or host:port) that may be reached over plain http
     */
    public RegistryClient(
            ModuleSourcePolicy policy,
            Set<String> insecure,
            RegistryCredentials credentials,
            Duration timeout) {
        this.policy = policy;
        this.insecure = Set.copyOf(insecure);
        this.credentials = credentials;
        this.timeout = timeout;
        this.http = LazyHttpClient.of(HttpClient.Redirect.NEVER, Duration.ofSeconds(10));
    }

    /** {@code scheme://registry/v2/<repository>/<path>} for a reference. */
    URI uri(OciReference ref, String path) {
        return URI.create(
                "%s://%s/v2/%s/%s"
                        .formatted(scheme(ref.registry()), ref.apiHost(), ref.repository(), path));
    }

    private String scheme(String registry) {
        String host = registry.toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        String name = colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
        return insecure.contains(host) || insecure.contains(name) ? "http" : "https";
    }

    /**
     * Sends a request to the registry with the client's own logins only; see {@link #send(
     * OciReference, HttpRequest.Builder, String, String, RegistryLogins)}.
     */
    HttpResponse<InputStream> send(
            OciReference ref, HttpRequest.Builder request, String actions, String what)
            throws ModuleLoadException {
        return send(ref, request, actions, what, RegistryLogins.NONE);
    }

    /**
     * Sends a request to the registry, answering one auth challenge, and following redirects
     * without credentials.
     *
     * @param actions the access the request needs, e.g. {@code pull} or {@code pull,push}
     * @param what how messages name the request, e.g. "module oci reg/x:v1"
     * @param logins the step's logins, tried before the client's own; read only when the registry
     *     asks for a login or a token of this registry and scope is kept
     */
    HttpResponse<InputStream> send(
            OciReference ref,
            HttpRequest.Builder request,
            String actions,
            String what,
            RegistryLogins logins)
            throws ModuleLoadException {
        HttpRequest base = request.timeout(timeout).build();
        check(base.uri(), what);
        String scope = "repository:%s:%s".formatted(ref.repository(), actions);
        String key = "%s %s".formatted(ref.registry(), scope);
        StepLogin login = new StepLogin(ref, logins);
        HttpRequest first = base;
        Map<String, Token> kept = tokens.get(key);
        if (kept != null && !kept.isEmpty()) {
            // Tokens are kept per login, so one step never borrows another's access.
            Token token = kept.get(login.identity());
            if (token != null && token.expires().isAfter(Instant.now())) {
                first = withAuth(base, token.header());
            }
        }
        HttpResponse<InputStream> response = exchange(first, what);
        if (response.statusCode() == 401) {
            String challenge = response.headers().firstValue("www-authenticate").orElse("");
            close(response);
            String header = authorize(ref, challenge, scope, what, login);
            response = exchange(withAuth(base, header), what);
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                close(response);
                throw new ModuleLoadException(
                        ("%s: registry %s refused the %s (HTTP %d); check the login for %s (in"
                                        + " the pull secret or registry config) and that it may"
                                        + " %s %s")
                                .formatted(
                                        what,
                                        ref.registry(),
                                        login.get().isPresent() ? "login" : "anonymous pull",
                                        response.statusCode(),
                                        ref.registry(),
                                        actions,
                                        ref.repository()));
            }
        }
        return followRedirects(response, what);
    }

    /** A step's login for one registry, looked up at most once and only when needed. */
    private final class StepLogin {
        private final OciReference ref;
        private final RegistryLogins logins;
        private Optional<RegistryCredentials.Login> login;

        StepLogin(OciReference ref, RegistryLogins logins) {
            this.ref = ref;
            this.logins = logins;
        }

        Optional<RegistryCredentials.Login> get() throws ModuleLoadException {
            if (login == null) {
                login = logins.credentials().and(credentials).find(ref);
            }
            return login;
        }

        /** Which login tokens were fetched with: a digest, so no password is kept as a key. */
        String identity() throws ModuleLoadException {
            return get().map(
                            l ->
                                    Digests.sha256(
                                            (l.username() + ":" + l.password())
                                                    .getBytes(StandardCharsets.UTF_8)))
                    .orElse("");
        }
    }

    private static HttpRequest withAuth(HttpRequest base, String header) {
        return HttpRequest.newBuilder(base, (name, value) -> true)
                .header("Authorization", header)
                .build();
    }

    /** The Authorization header answering a challenge. */
    private String authorize(
            OciReference ref, String header, String scope, String what, StepLogin step)
            throws ModuleLoadException {
        AuthChallenge challenge = AuthChallenge.parse(header);
        Optional<RegistryCredentials.Login> login = step.get();
        if (challenge.isBasic()) {
            if (login.isEmpty()) {
                throw new ModuleLoadException(
                        ("%s: registry %s needs a login and none is configured for it; give it"
                                        + " in a pull secret (module.pullSecret or the workflow's"
                                        + " imagePullSecrets) or the registry config (docker"
                                        + " login, %s)")
                                .formatted(what, ref.registry(), RegistryFlags.REGISTRY_CONFIG));
            }
            return basic(login.get());
        }
        if (!challenge.isBearer() || challenge.param("realm").isEmpty()) {
            throw new ModuleLoadException(
                    "%s: registry %s asks for authentication this client does not speak: '%s'"
                            .formatted(what, ref.registry(), header));
        }
        String realm = challenge.param("realm");
        String wanted = challenge.param("scope").isEmpty() ? scope : challenge.param("scope");
        StringBuilder query = new StringBuilder();
        if (!challenge.param("service").isEmpty()) {
            query.append("service=").append(encode(challenge.param("service"))).append('&');
        }
        query.append("scope=").append(encode(wanted));
        URI tokenUri;
        try {
            tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        } catch (IllegalArgumentException e) {
            throw new ModuleLoadException(
                    "%s: registry %s names an invalid token realm '%s'"
                            .formatted(what, ref.registry(), realm),
                    e);
        }
        check(tokenUri, "%s: token service %s".formatted(what, tokenUri.getHost()));
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri).timeout(timeout).GET();
        login.ifPresent(l -> request.header("Authorization", basic(l)));
        HttpResponse<InputStream> response = exchange(request.build(), what);
        JsonNode body;
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(1 << 20);
            if (response.statusCode() != 200) {
                throw new ModuleLoadException(
                        ("%s: the token service of registry %s refused %s %s token (HTTP %d);"
                                        + " check the login for %s in the pull secret or registry"
                                        + " config")
                                .formatted(
                                        what,
                                        ref.registry(),
                                        login.isPresent() ? "the login's" : "an anonymous",
                                        wanted,
                                        response.statusCode(),
                                        ref.registry()));
            }
            body = json.readTree(bytes);
        } catch (IOException | JacksonException e) {
            throw new ModuleLoadException(
                    "%s: the token service of registry %s answered no token: %s"
                            .formatted(what, ref.registry(), e.getMessage()),
                    e);
        }
        String token =
                body.path("token").isString()
                        ? body.path("token").asString()
                        : body.path("access_token").isString()
                                ? body.path("access_token").asString()
                                : "";
        if (token.isEmpty()) {
            throw new ModuleLoadException(
                    "%s: the token service of registry %s answered without a token"
                            .formatted(what, ref.registry()));
        }
        long seconds = body.path("expires_in").isNumber() ? body.path("expires_in").asLong() : 60;
        String value = "Bearer %s".formatted(token);
        // A little early, so a token is not sent as it expires.
        tokens.computeIfAbsent(
                        "%s %s".formatted(ref.registry(), scope), k -> new ConcurrentHashMap<>())
                .put(
                        step.identity(),
                        new Token(value, Instant.now().plusSeconds(Math.max(0, seconds - 10))));
        return value;
    }

    private static String basic(RegistryCredentials.Login login) {
        return "Basic %s"
                .formatted(
                        Base64.getEncoder()
                                .encodeToString(
                                        (login.username() + ":" + login.password())
                                                .getBytes(StandardCharsets.UTF_8)));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Follows redirects (blobs go to storage hosts), each hop checked, never with credentials. */
    private HttpResponse<InputStream> followRedirects(
            HttpResponse<InputStream> response, String what) throws ModuleLoadException {
        for (int hop = 0; Redirects.isRedirect(response.statusCode()); hop++) {
            close(response);
            if (hop == MAX_REDIRECTS) {
                throw new ModuleLoadException(
                        "%s: more than %d redirects".formatted(what, MAX_REDIRECTS));
            }
            URI from = response.uri();
            URI next = Redirects.target(response, from, "%s (at %s)".formatted(what, from));
            check(next, "%s redirects to %s".formatted(what, next));
            response = exchange(HttpRequest.newBuilder(next).timeout(timeout).GET().build(), what);
        }
        return response;
    }

    /**
     * Checks a URL under the module source policy; plain http passes the scheme rule only for
     * insecure registries, which the operator named.
     */
    private void check(URI uri, String what) throws ModuleLoadException {
        if ("http".equals(uri.getScheme())) {
            String authority = uri.getAuthority().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            if (!insecure.contains(authority) && !insecure.contains(host)) {
                throw new ModuleLoadException(
                        ("%s uses plain http; registries are reached over https unless named in"
                                        + " %s (%s)")
                                .formatted(
                                        what, RegistryFlags.ALLOW_INSECURE_REGISTRIES, authority));
            }
            policy.check(URI.create("https" + uri.toString().substring("http".length())), what);
            return;
        }
        policy.check(uri, what);
    }

    private HttpResponse<InputStream> exchange(HttpRequest request, String what)
            throws ModuleLoadException {
        try {
            return http.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ModuleLoadException(
                    "%s: no answer from %s within %ds"
                            .formatted(what, request.uri().getAuthority(), timeout.toSeconds()),
                    e);
        } catch (IOException e) {
            throw new ModuleLoadException(
                    "%s: %s could not be reached: %s"
                            .formatted(what, request.uri().getAuthority(), describe(e)),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleLoadException("%s: interrupted".formatted(what), e);
        }
    }

    private static String describe(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.UnknownHostException
                    || cause instanceof java.nio.channels.UnresolvedAddressException) {
                return "the host could not be resolved";
            }
            if (cause instanceof java.net.ConnectException) {
                return "connection refused or host unreachable";
            }
            if (cause instanceof javax.net.ssl.SSLException ssl) {
                return "TLS failed (%s); a registry that speaks plain http must be named in %s"
                        .formatted(ssl.getMessage(), RegistryFlags.ALLOW_INSECURE_REGISTRIES);
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // Nothing more is read from it.
        }
    }

    /** The registry's error codes, e.g. {@code MANIFEST_UNKNOWN}, for messages; "" if none. */
    String errorCodes(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            JsonNode body = json.readTree(in.readNBytes(64 << 10));
            StringBuilder codes = new StringBuilder();
            for (JsonNode error : body.path("errors")) {
                if (!codes.isEmpty()) {
                    codes.append(", ");
                }
                codes.append(error.path("code").asString(""));
                if (error.path("message").isString()) {
                    codes.append(" \"").append(error.path("message").asString()).append('"');
                }
            }
            return codes.toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
