package io.argowasm.artifacts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How output keys are formed: a repository's {@code keyFormat} when every variable in it exists for
 * a plugin node, otherwise {@code [keyPrefix/]<workflow>/<workflow>-wasm-<invocation id>/<file
 * name>}.
 *
 * <p>Plugin nodes have no pod, so Argo's default format ({@code {{workflow.name}}/{{pod.name}}})
 * and any format using {@code {{pod.name}}} fall back to the default. Supported variables: {@code
 * workflow.name}, {@code workflow.namespace}, {@code workflow.uid} and {@code
 * workflow.creationTimestamp.Y|m|d|H|M|S} (the latter only when the Workflow's creation time is
 * known). As in Argo, the file name is appended to the formatted key.
 */
public final class KeyFormat {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFormat.class);
    private static final Pattern TAG = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");
    private static final Map<String, String> TIMESTAMP_PATTERNS =
            Map.of("Y", "%04d", "m", "%02d", "d", "%02d", "H", "%02d", "M", "%02d", "S", "%02d");

    private final String format;
    private final String prefix;

    private KeyFormat(String format, String prefix) {
        this.format = format;
        this.prefix = prefix;
    }

    /** The plugin's default keys, with no prefix. */
    public static KeyFormat defaults() {
        return new KeyFormat(null, null);
    }

    /**
     * @param keyFormat the repository's {@code keyFormat}, or {@code null}
     * @param keyPrefix the repository's {@code keyPrefix}, used (as in Argo) only without a {@code
     *     keyFormat}, or {@code null}
     */
    public static KeyFormat of(String keyFormat, String keyPrefix) {
        return new KeyFormat(blankToNull(keyFormat), blankToNull(keyPrefix));
    }

    /**
     * The key for one output file.
     *
     * @param workflow the workflow
     * @param workflowCreated its creation time, or {@code null}
     * @param invocationId stable id of this plugin call
     * @param fileName {@code <artifact>.tgz}, or {@code <artifact>} for unarchived outputs
     */
    public String keyFor(
            WorkflowRef workflow, Instant workflowCreated, String invocationId, String fileName) {
        if (format != null) {
            Optional<String> formatted = render(workflow, workflowCreated);
            if (formatted.isPresent()) {
                return join(formatted.get(), fileName);
            }
        }
        String base =
                workflow.name() + "/" + workflow.name() + "-wasm-" + invocationId + "/" + fileName;
        return format == null && prefix != null ? join(prefix, base) : base;
    }

    private Optional<String> render(WorkflowRef workflow, Instant created) {
        Map<String, String> variables = variables(workflow, created);
        Matcher tags = TAG.matcher(format);
        StringBuilder key = new StringBuilder();
        while (tags.find()) {
            String value = variables.get(tags.group(1));
            if (value == null) {
                LOG.warn(
                        "keyFormat '{}' uses {{{{{}}}}}, which a plugin node does not have; using"
                                + " the plugin's default keys",
                        format,
                        tags.group(1));
                return Optional.empty();
            }
            tags.appendReplacement(key, Matcher.quoteReplacement(value));
        }
        tags.appendTail(key);
        return Optional.of(key.toString());
    }

    private static Map<String, String> variables(WorkflowRef workflow, Instant created) {
        Map<String, String> variables = new HashMap<>();
        variables.put("workflow.name", workflow.name());
        variables.put("workflow.namespace", workflow.namespace());
        if (!workflow.uid().isEmpty()) {
            variables.put("workflow.uid", workflow.uid());
        }
        if (created != null) {
            ZonedDateTime utc = created.atZone(ZoneOffset.UTC);
            Map<String, Integer> fields =
                    Map.of(
                            "Y", utc.getYear(),
                            "m", utc.getMonthValue(),
                            "d", utc.getDayOfMonth(),
                            "H", utc.getHour(),
                            "M", utc.getMinute(),
                            "S", utc.getSecond());
            fields.forEach(
                    (field, value) ->
                            variables.put(
                                    "workflow.creationTimestamp." + field,
                                    String.format(TIMESTAMP_PATTERNS.get(field), value)));
        }
        return variables;
    }

    /** Joins like Go's path.Join: no empty segments, no leading slash. */
    private static String join(String first, String second) {
        String joined = (first + "/" + second).replaceAll("/{2,}", "/");
        return joined.startsWith("/") ? joined.substring(1) : joined;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String toString() {
        return format != null ? format : prefix != null ? prefix + "/<default>" : "<default>";
    }
}
