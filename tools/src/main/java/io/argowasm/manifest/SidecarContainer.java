package io.argowasm.manifest;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plugin's sidecar container (a Kubernetes core/v1 Container) as Argo stores it: the fields Go
 * serialises, with empty optional fields left out, resource quantities in canonical form, and
 * Argo's rules for plugin sidecars applied.
 */
final class SidecarContainer {

    private static final String PATH = "spec.sidecar.container";

    /** How Go writes a Container field: decides when an empty value disappears. */
    private enum Field {
        /** {@code name}: always written, {@code ""} when unset. */
        REQUIRED_STRING,
        /** {@code resources}: a struct, always written. */
        STRUCT,
        STRING,
        LIST,
        /** A pointer: written whenever set, even when empty. */
        OBJECT,
        /** {@code restartPolicy}, a string pointer. */
        OPTIONAL_STRING,
        BOOLEAN
    }

    private static final Map<String, Field> CONTAINER_FIELDS =
            Map.ofEntries(
                    Map.entry("name", Field.REQUIRED_STRING),
                    Map.entry("image", Field.STRING),
                    Map.entry("command", Field.LIST),
                    Map.entry("args", Field.LIST),
                    Map.entry("workingDir", Field.STRING),
                    Map.entry("ports", Field.LIST),
                    Map.entry("envFrom", Field.LIST),
                    Map.entry("env", Field.LIST),
                    Map.entry("resources", Field.STRUCT),
                    Map.entry("resizePolicy", Field.LIST),
                    Map.entry("restartPolicy", Field.OPTIONAL_STRING),
                    Map.entry("restartPolicyRules", Field.LIST),
                    Map.entry("volumeMounts", Field.LIST),
                    Map.entry("volumeDevices", Field.LIST),
                    Map.entry("livenessProbe", Field.OBJECT),
                    Map.entry("readinessProbe", Field.OBJECT),
                    Map.entry("startupProbe", Field.OBJECT),
                    Map.entry("lifecycle", Field.OBJECT),
                    Map.entry("terminationMessagePath", Field.STRING),
                    Map.entry("terminationMessagePolicy", Field.STRING),
                    Map.entry("imagePullPolicy", Field.STRING),
                    Map.entry("securityContext", Field.OBJECT),
                    Map.entry("stdin", Field.BOOLEAN),
                    Map.entry("stdinOnce", Field.BOOLEAN),
                    Map.entry("tty", Field.BOOLEAN));

    private static final Set<String> RESOURCE_FIELDS = Set.of("limits", "requests", "claims");

    private SidecarContainer() {}

    /**
     * The container as {@code argo executor-plugin build} writes it.
     *
     * @throws InvalidPluginManifestException when Argo would refuse the container
     */
    static ObjectNode of(JsonNode container) {
        if (container == null || !container.isObject()) {
            throw new InvalidPluginManifestException(
                    "%s is missing: the plugin needs a sidecar container".formatted(PATH));
        }
        ObjectNode written = JsonNodeFactory.instance.objectNode();
        written.put("name", "");
        written.set("resources", JsonNodeFactory.instance.objectNode());
        for (Map.Entry<String, JsonNode> entry : container.properties()) {
            String name = entry.getKey();
            Field field = CONTAINER_FIELDS.get(name);
            if (field == null) {
                throw new InvalidPluginManifestException(
                        "%s has an unknown field '%s'; a container has: %s"
                                .formatted(PATH, name, new TreeSet<>(CONTAINER_FIELDS.keySet())));
            }
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                continue;
            }
            checkType(name, field, value);
            if (field == Field.STRUCT) {
                written.set(name, resources(value));
            } else if (!omittedWhenEmpty(field, value)) {
                written.set(name, withoutNulls(value));
            }
        }
        validate(container);
        return written;
    }

    /**
     * Argo's {@code Sidecar.Validate} (pkg/plugins/spec/plugin_types.go), in its order. Go tells a
     * missing map from an empty one, so {@code requests: {}} passes, as it does in Argo.
     */
    private static void validate(JsonNode container) {
        if (container.path("ports").isEmpty()) {
            throw new InvalidPluginManifestException(
                    PATH
                            + ": at least one port is mandatory; add ports: [{containerPort: N}],"
                            + " the agent calls the plugin on the first one");
        }
        JsonNode resources = container.path("resources");
        if (!isSet(resources.get("requests"))) {
            throw new InvalidPluginManifestException(
                    PATH
                            + ".resources: resources requests are mandatory; add requests for cpu"
                            + " and memory");
        }
        if (!isSet(resources.get("limits"))) {
            throw new InvalidPluginManifestException(
                    PATH
                            + ".resources: resources limits are mandatory; add limits for cpu and"
                            + " memory");
        }
        if (!isSet(container.get("securityContext"))) {
            throw new InvalidPluginManifestException(
                    PATH
                            + ": security context is mandatory; add a securityContext, for example"
                            + " with runAsNonRoot: true");
        }
    }

    private static boolean isSet(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static void checkType(String name, Field field, JsonNode value) {
        boolean fits =
                switch (field) {
                    case REQUIRED_STRING, STRING, OPTIONAL_STRING -> value.isString();
                    case LIST -> value.isArray();
                    case STRUCT, OBJECT -> value.isObject();
                    case BOOLEAN -> value.isBoolean();
                };
        if (!fits) {
            String expected =
                    switch (field) {
                        case REQUIRED_STRING, STRING, OPTIONAL_STRING -> "a string";
                        case LIST -> "a list";
                        case STRUCT, OBJECT -> "an object";
                        case BOOLEAN -> "true or false";
                    };
            throw new InvalidPluginManifestException(
                    "%s.%s must be %s, not %s".formatted(PATH, name, expected, value));
        }
    }

    private static boolean omittedWhenEmpty(Field field, JsonNode value) {
        return switch (field) {
            case STRING -> value.stringValue().isEmpty();
            case LIST -> value.isEmpty();
            case BOOLEAN -> !value.booleanValue();
            case REQUIRED_STRING, STRUCT, OBJECT, OPTIONAL_STRING -> false;
        };
    }

    private static ObjectNode resources(JsonNode resources) {
        ObjectNode written = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> entry : resources.properties()) {
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            String path = PATH + ".resources." + name;
            if (!RESOURCE_FIELDS.contains(name)) {
                throw new InvalidPluginManifestException(
                        "%s is unknown; resources have: %s"
                                .formatted(path, new TreeSet<>(RESOURCE_FIELDS)));
            }
            if (value.isNull()) {
                continue;
            }
            if (name.equals("claims")) {
                if (!value.isArray()) {
                    throw new InvalidPluginManifestException("%s must be a list".formatted(path));
                }
                if (!value.isEmpty()) {
                    written.set(name, withoutNulls(value));
                }
            } else {
                ObjectNode quantities = quantities(path, value);
                if (!quantities.isEmpty()) {
                    written.set(name, quantities);
                }
            }
        }
        return written;
    }

    private static ObjectNode quantities(String path, JsonNode quantities) {
        if (!quantities.isObject()) {
            throw new InvalidPluginManifestException(
                    "%s must map resource names to quantities, such as cpu: 100m".formatted(path));
        }
        ObjectNode written = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> entry : quantities.properties()) {
            JsonNode quantity = entry.getValue();
            String text =
                    quantity.isNumber()
                            ? quantity.decimalValue().stripTrailingZeros().toPlainString()
                            : quantity.isString() ? quantity.stringValue() : "";
            try {
                written.put(entry.getKey(), CanonicalQuantity.of(text));
            } catch (IllegalArgumentException e) {
                throw new InvalidPluginManifestException(
                        "%s.%s: %s".formatted(path, entry.getKey(), e.getMessage()));
            }
        }
        return written;
    }

    /** Go leaves nil pointers, slices and maps out of its JSON. */
    private static JsonNode withoutNulls(JsonNode value) {
        if (value.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                if (!entry.getValue().isNull()) {
                    copy.set(entry.getKey(), withoutNulls(entry.getValue()));
                }
            }
            return copy;
        }
        if (value.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            value.forEach(item -> copy.add(withoutNulls(item)));
            return copy;
        }
        return value;
    }
}
