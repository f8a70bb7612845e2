package io.argowasm.exec;

import io.argowasm.module.ModuleRef;
import io.argowasm.module.oci.OciReference;
import io.argowasm.wapc.ModuleKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The {@code plugin.wasm} block of a template. Parsing is strict: an unknown key is an error naming
 * it, so a typo never passes silently.
 *
 * @param abi the kind the template asks for ({@code abi}), or null to detect it from the exports
 * @param wasi what a WASI command is given: {@code args}, {@code env}, {@code contract}
 * @param http the origins the guest may reach ({@code permissions.http.allowed_hosts})
 * @param logs where the guest's output goes, or null when the template does not say (the sidecar's
 *     {@code --guest-logs} decides)
 */
public record WasmPluginSpec(
        ModuleRef module,
        String pullSecret,
        String operation,
        JsonNode options,
        Duration timeout,
        long memoryBytes,
        ModuleKind abi,
        WasiSettings wasi,
        HttpPermission http,
        GuestLogs logs) {

    /**
     * What a template gives a WASI command.
     *
     * @param contract how it answers, or null to decide by what it writes
     */
    public record WasiSettings(List<String> args, Map<String, String> env, WasiContract contract) {
        public static final WasiSettings NONE = new WasiSettings(List.of(), Map.of(), null);

        public WasiSettings {
            args = List.copyOf(args);
            env = Map.copyOf(env);
        }

        /** The keys set, for a waPC module that must not have them. */
        List<String> keysSet() {
            List<String> keys = new java.util.ArrayList<>();
            if (!args.isEmpty()) {
                keys.add("plugin.wasm.args");
            }
            if (!env.isEmpty()) {
                keys.add("plugin.wasm.env");
            }
            if (contract != null) {
                keys.add("plugin.wasm.contract");
            }
            return keys;
        }
    }

    public static final String DEFAULT_OPERATION = "run";

    /**
     * The shortest {@code limits.timeout} a template may ask for: below it a step would time out
     * before its guest is instantiated, which only looks like a broken module.
     */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(10);

    private static final Set<String> TOP_KEYS =
            Set.of(
                    "module",
                    "operation",
                    "options",
                    "limits",
                    "abi",
                    "args",
                    "env",
                    "contract",
                    "permissions",
                    "logs");
    private static final Set<String> PERMISSION_KEYS = Set.of("http");
    // max_concurrent_requests was the earlier plugin's; accepted so its templates run unchanged.
    private static final Set<String> HTTP_KEYS = Set.of("allowed_hosts", "max_concurrent_requests");
    private static final Set<String> MODULE_KEYS =
            Set.of("url", "file", "oci", "artifact", "sha256", "pullSecret");
    private static final java.util.List<String> MODULE_SOURCES =
            java.util.List.of("url", "file", "oci", "artifact");

    /** A Kubernetes object name (RFC 1123 subdomain), as a Secret's name must be. */
    private static final java.util.regex.Pattern OBJECT_NAME =
            java.util.regex.Pattern.compile(
                    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private static final Set<String> LIMIT_KEYS = Set.of("timeout", "memory");

    /**
     * Reads a {@code plugin.wasm} block.
     *
     * @param limits the defaults for absent limits and the maxima a template may ask for
     */
    public static WasmPluginSpec parse(JsonNode wasm, ExecutionLimits limits)
            throws InvalidTemplateException {
        requireObject(wasm, "plugin.wasm", "wasm: {module: {url: https://...}}");
        checkKeys(wasm, TOP_KEYS, "plugin.wasm");
        ModuleRef module = parseModule(wasm.get("module"));
        String pullSecret = parsePullSecret(wasm.get("module"), module);
        String operation = DEFAULT_OPERATION;
        if (wasm.has("operation")) {
            operation =
                    requireText(wasm.get("operation"), "plugin.wasm.operation", "operation: greet");
            if (operation.isEmpty()) {
                throw new InvalidTemplateException("plugin.wasm.operation must not be empty");
            }
        }
        JsonNode options =
                wasm.has("options") ? wasm.get("options") : JsonNodeFactory.instance.objectNode();
        Duration timeout = limits.defaultTimeout();
        long memory = limits.defaultMemoryBytes();
        if (wasm.has("limits")) {
            JsonNode l = wasm.get("limits");
            requireObject(l, "plugin.wasm.limits", "limits: {timeout: 30s, memory: 64Mi}");
            checkKeys(l, LIMIT_KEYS, "plugin.wasm.limits");
            if (l.has("timeout")) {
                timeout = parseTimeout(l.get("timeout"), limits);
            }
            if (l.has("memory")) {
                memory = parseMemory(l.get("memory"), limits);
            }
        }
        return new WasmPluginSpec(
                module,
                pullSecret,
                operation,
                options,
                timeout,
                memory,
                parseAbi(wasm.get("abi")),
                new WasiSettings(
                        parseArgs(wasm.get("args")),
                        parseEnv(wasm.get("env")),
                        parseContract(wasm.get("contract"))),
                parsePermissions(wasm.get("permissions")),
                wasm.has("logs") ? parseLogs(wasm.get("logs")) : null);
    }

    private static ModuleKind parseAbi(JsonNode node) throws InvalidTemplateException {
        if (node == null) {
            return null;
        }
        String text = requireText(node, "plugin.wasm.abi", "abi: wasi");
        return switch (text) {
            case "wapc" -> ModuleKind.WAPC;
            case "wasi" -> ModuleKind.WASI;
            default ->
                    throw new InvalidTemplateException(
                            ("plugin.wasm.abi '%s' is unknown; use wapc or wasi, or leave it out"
                                            + " to detect the kind from the module's exports")
                                    .formatted(text));
        };
    }

    private static WasiContract parseContract(JsonNode node) throws InvalidTemplateException {
        if (node == null) {
            return null;
        }
        String text = requireText(node, "plugin.wasm.contract", "contract: stdio");
        return switch (text) {
            case "stdio" -> WasiContract.STDIO;
            case "files" -> WasiContract.FILES;
            default ->
                    throw new InvalidTemplateException(
                            ("plugin.wasm.contract '%s' is unknown; use stdio (JSON on stdin and"
                                            + " stdout) or files (/work/input.json and"
                                            + " /work/result.json)")
                                    .formatted(text));
        };
    }

    private static List<String> parseArgs(JsonNode node) throws InvalidTemplateException {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidTemplateException(
                    "plugin.wasm.args must be a list of strings, e.g. args: [--verbose,"
                            + " input.txt]");
        }
        List<String> args = new java.util.ArrayList<>();
        for (JsonNode arg : node) {
            if (!arg.isValueNode() || arg.isNull()) {
                throw new InvalidTemplateException(
                        "plugin.wasm.args[%d] must be a string".formatted(args.size()));
            }
            args.add(arg.asString());
        }
        return args;
    }

    private static Map<String, String> parseEnv(JsonNode node) throws InvalidTemplateException {
        if (node == null) {
            return Map.of();
        }
        requireObject(node, "plugin.wasm.env", "env: {LOG_LEVEL: debug}");
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().isEmpty() || e.getKey().contains("=")) {
                throw new InvalidTemplateException(
                        ("plugin.wasm.env has a variable named '%s'; a name is not empty and"
                                        + " has no '='")
                                .formatted(e.getKey()));
            }
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new InvalidTemplateException(
                        "plugin.wasm.env.%s must be a string".formatted(e.getKey()));
            }
            env.put(e.getKey(), e.getValue().asString());
        }
        return env;
    }

    private static HttpPermission parsePermissions(JsonNode node) throws InvalidTemplateException {
        if (node == null) {
            return HttpPermission.NONE;
        }
        String example = "permissions: {http: {allowed_hosts: [https://api.example.com]}}";
        requireObject(node, "plugin.wasm.permissions", example);
        checkKeys(node, PERMISSION_KEYS, "plugin.wasm.permissions");
        JsonNode http = node.get("http");
        if (http == null) {
            return HttpPermission.NONE;
        }
        requireObject(http, "plugin.wasm.permissions.http", example);
        checkKeys(http, HTTP_KEYS, "plugin.wasm.permissions.http");
        JsonNode hosts = http.get("allowed_hosts");
        if (hosts == null || !hosts.isArray()) {
            throw new InvalidTemplateException(
                    ("plugin.wasm.permissions.http.allowed_hosts must be a list of"
                                    + " origins, e.g. %s")
                            .formatted(example));
        }
        List<URI> origins = new java.util.ArrayList<>();
        for (JsonNode host : hosts) {
            String where =
                    "plugin.wasm.permissions.http.allowed_hosts[%d]".formatted(origins.size());
            try {
                origins.add(HttpPermission.origin(requireText(host, where, example)));
            } catch (IllegalArgumentException e) {
                throw new InvalidTemplateException("%s: %s".formatted(where, e.getMessage()));
            }
        }
        return new HttpPermission(origins);
    }

    /** The template's choice, or {@code otherwise} when it does not say. */
    public GuestLogs logsOr(GuestLogs otherwise) {
        return logs == null ? otherwise : logs;
    }

    private static GuestLogs parseLogs(JsonNode node) throws InvalidTemplateException {
        String text = requireText(node, "plugin.wasm.logs", "logs: artifact");
        for (GuestLogs logs : GuestLogs.values()) {
            if (logs.name().equals(text)) {
                return logs;
            }
        }
        throw new InvalidTemplateException(
                ("plugin.wasm.logs '%s' is not known: use artifact (the guest's output is also"
                                + " stored as output artifact '%s') or log (the log only)")
                        .formatted(text, GuestLogArtifact.NAME));
    }

    private static String parsePullSecret(JsonNode module, ModuleRef ref)
            throws InvalidTemplateException {
        if (!module.has("pullSecret")) {
            return null;
        }
        String field = "plugin.wasm.module.pullSecret";
        String name = requireText(module.get("pullSecret"), field, "pullSecret: registry-login");
        if (ref.oci() == null) {
            throw new InvalidTemplateException(
                    "%s applies to module.oci only: it names the Secret with the registry login"
                            .formatted(field));
        }
        if (name.length() > 253 || !OBJECT_NAME.matcher(name).matches()) {
            throw new InvalidTemplateException(
                    ("%s '%s' is not a Secret name (lowercase letters, digits, '-' and '.');"
                                    + " give the name of a kubernetes.io/dockerconfigjson Secret"
                                    + " in the workflow's namespace")
                            .formatted(field, name));
        }
        return name;
    }

    private static ModuleRef parseModule(JsonNode module) throws InvalidTemplateException {
        if (module == null || module.isNull()) {
            throw new InvalidTemplateException(
                    "plugin.wasm.module is missing: give module.url (http/https), module.file,"
                            + " module.oci or module.artifact");
        }
        requireObject(module, "plugin.wasm.module", "module: {url: https://..., sha256: ...}");
        checkKeys(module, MODULE_KEYS, "plugin.wasm.module");
        String sha256 =
                module.has("sha256")
                        ? requireText(
                                module.get("sha256"),
                                "plugin.wasm.module.sha256",
                                "sha256: 9f86d0... (64 hex digits)")
                        : null;
        try {
            java.util.List<String> sources = MODULE_SOURCES.stream().filter(module::has).toList();
            if (sources.size() > 1) {
                throw new InvalidTemplateException(
                        ("plugin.wasm.module has both %s and %s: give exactly one of url, file,"
                                        + " oci and artifact")
                                .formatted(sources.get(0), sources.get(1)));
            }
            if (module.has("artifact")) {
                return ModuleRef.ofArtifact(
                        requireText(
                                module.get("artifact"),
                                "plugin.wasm.module.artifact",
                                "artifact: module (the name of an input artifact)"),
                        sha256);
            }
            if (module.has("oci")) {
                return ModuleRef.ofOci(
                        OciReference.parse(
                                requireText(
                                        module.get("oci"),
                                        "plugin.wasm.module.oci",
                                        "oci: ghcr.io/team/greet:v1")),
                        sha256);
            }
            if (module.has("url")) {
                String url =
                        requireText(
                                module.get("url"),
                                "plugin.wasm.module.url",
                                "url: https://example.com/greet.wasm");
                return ModuleRef.ofUrl(new URI(url), sha256);
            }
            if (module.has("file")) {
                return ModuleRef.ofFile(
                        Path.of(
                                requireText(
                                        module.get("file"),
                                        "plugin.wasm.module.file",
                                        "file: /modules/greet.wasm")),
                        sha256);
            }
            throw new InvalidTemplateException(
                    "plugin.wasm.module needs url (http/https), file (a path on the sidecar), oci"
                            + " (a registry reference) or artifact (an input artifact's name)");
        } catch (URISyntaxException e) {
            throw new InvalidTemplateException(
                    "plugin.wasm.module.url is not a valid URL: %s".formatted(e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw new InvalidTemplateException("plugin.wasm.module: %s".formatted(e.getMessage()));
        }
    }

    private static Duration parseTimeout(JsonNode node, ExecutionLimits limits)
            throws InvalidTemplateException {
        String field = "plugin.wasm.limits.timeout";
        String text = requireText(node, field, "timeout: 30s (a Go duration)");
        Duration timeout;
        try {
            timeout = GoDuration.parse(text);
        } catch (GoDuration.OutOfRangeException e) {
            throw overMaximum(
                    field,
                    "'%s'".formatted(text),
                    GoDuration.format(limits.maxTimeout()),
                    ExecutorFlags.MAX_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new InvalidTemplateException("%s: %s".formatted(field, e.getMessage()));
        }
        if (timeout.compareTo(MIN_TIMEOUT) < 0) {
            throw new InvalidTemplateException(
                    "%s %s is below the minimum of %s: a guest needs that long to start"
                            .formatted(
                                    field,
                                    GoDuration.format(timeout),
                                    GoDuration.format(MIN_TIMEOUT)));
        }
        if (timeout.compareTo(limits.maxTimeout()) > 0) {
            throw overMaximum(
                    field,
                    GoDuration.format(timeout),
                    GoDuration.format(limits.maxTimeout()),
                    ExecutorFlags.MAX_TIMEOUT);
        }
        return timeout;
    }

    private static long parseMemory(JsonNode node, ExecutionLimits limits)
            throws InvalidTemplateException {
        String field = "plugin.wasm.limits.memory";
        String text = node.isNumber() ? node.asString() : requireText(node, field, "memory: 64Mi");
        long bytes;
        try {
            bytes = Quantity.parseBytes(text);
        } catch (Quantity.OutOfRangeException e) {
            throw overMaximum(
                    field,
                    "'%s'".formatted(text),
                    Quantity.format(limits.maxMemoryBytes()),
                    ExecutorFlags.MAX_MEMORY);
        } catch (IllegalArgumentException e) {
            throw new InvalidTemplateException("%s: %s".formatted(field, e.getMessage()));
        }
        if (bytes < ExecutionLimits.PAGE_BYTES) {
            throw new InvalidTemplateException(
                    "%s must be at least 64Ki (one WebAssembly page)".formatted(field));
        }
        if (bytes > limits.maxMemoryBytes()) {
            throw overMaximum(
                    field,
                    Quantity.format(bytes),
                    Quantity.format(limits.maxMemoryBytes()),
                    ExecutorFlags.MAX_MEMORY);
        }
        return bytes;
    }

    private static InvalidTemplateException overMaximum(
            String field, String asked, String maximum, String flag) {
        return new InvalidTemplateException(
                "%s %s exceeds this plugin's maximum of %s; ask for less or raise %s on the sidecar"
                        .formatted(field, asked, maximum, flag));
    }

    private static void requireObject(JsonNode node, String where, String example)
            throws InvalidTemplateException {
        if (node == null || !node.isObject()) {
            throw new InvalidTemplateException(
                    "%s must be an object, e.g. %s".formatted(where, example));
        }
    }

    /** A string field; YAML reads {@code timeout: 30} as a number, hence the example. */
    private static String requireText(JsonNode node, String where, String example)
            throws InvalidTemplateException {
        if (node == null || !node.isString()) {
            throw new InvalidTemplateException(
                    "%s must be a string, e.g. %s".formatted(where, example));
        }
        return node.asString();
    }

    private static void checkKeys(JsonNode node, Set<String> known, String where)
            throws InvalidTemplateException {
        for (String key : node.propertyNames()) {
            if (!known.contains(key)) {
                throw new InvalidTemplateException(
                        "%s has an unknown key '%s'; known keys are %s"
                                .formatted(where, key, String.join(", ", new TreeSet<>(known))));
            }
        }
    }
}
