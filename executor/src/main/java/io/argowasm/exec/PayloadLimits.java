package io.argowasm.exec;

import io.argowasm.argo.Parameter;
import io.argowasm.argo.Template;
import io.argowasm.metrics.PluginMetrics.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * Caps on the data one invocation passes through parameters, set on the sidecar. Large data belongs
 * in artifacts: parameters live in the Workflow object, which Kubernetes keeps small.
 *
 * @param maxInputBytes the input parameter values of one step together, in UTF-8 bytes
 * @param maxResponseBytes the largest response a guest may hand back
 * @param maxOutputBytes the output parameter values of one step together, in UTF-8 bytes
 */
public record PayloadLimits(long maxInputBytes, int maxResponseBytes, long maxOutputBytes) {

    public static final PayloadLimits DEFAULTS = new PayloadLimits(4L << 20, 16 << 20, 1L << 20);

    public PayloadLimits {
        if (maxInputBytes < 1 || maxResponseBytes < 1 || maxOutputBytes < 1) {
            throw new IllegalArgumentException("payload caps must be at least one byte");
        }
    }

    /** Refuses a template whose input parameter values are over the cap, naming the largest. */
    void checkInputs(Template template) throws StepFailure {
        List<Parameter> inputs =
                template.inputsOrEmpty().parameters().stream()
                        .filter(p -> valueOf(p) != null)
                        .toList();
        check(inputs, maxInputBytes, "input", ExecutorFlags.MAX_INPUT_SIZE);
    }

    /** Refuses output parameter values over the cap, naming the largest. */
    void checkOutputs(List<Parameter> outputs) throws StepFailure {
        check(outputs, maxOutputBytes, "output", ExecutorFlags.MAX_OUTPUT_SIZE);
    }

    private static void check(List<Parameter> parameters, long cap, String kind, String flag)
            throws StepFailure {
        long total = 0;
        for (Parameter p : parameters) {
            total += bytes(p);
        }
        if (total <= cap) {
            return;
        }
        Parameter largest =
                parameters.stream().max(Comparator.comparingLong(PayloadLimits::bytes)).get();
        throw StepFailure.because(
                kind.equals("input") ? Reason.TEMPLATE : Reason.GUEST_ERROR,
                ("the %s parameters hold %d bytes, over the sidecar's cap of %d bytes (%s); the"
                                + " largest is '%s' with %d bytes. Pass large data as an artifact"
                                + " instead")
                        .formatted(kind, total, cap, flag, largest.name(), bytes(largest)),
                null);
    }

    private static String valueOf(Parameter p) {
        return p.value() != null ? p.value() : p.defaultValue();
    }

    private static long bytes(Parameter p) {
        String value = valueOf(p);
        return value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length;
    }
}
