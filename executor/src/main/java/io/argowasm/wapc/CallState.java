package io.argowasm.wapc;

import java.nio.charset.StandardCharsets;

/**
 * The waPC state of one instance during one call: what the host hands the guest and what the guest
 * hands back. Reset before each call, as the reference hosts do.
 */
final class CallState {

    static final int MAX_TEXT_BYTES = 64 * 1024;
    static final int MAX_NAME_BYTES = 1024;
    private static final byte[] EMPTY = new byte[0];

    private final InstanceLimits limits;
    private byte[] operation = EMPTY;
    private byte[] payload = EMPTY;
    private byte[] guestResponse;
    private String guestError;
    private byte[] hostResponse = EMPTY;
    private byte[] hostError = EMPTY;
    private HostBindings bindings = HostBindings.NONE;
    private GuestOutput output;
    private final LineOutputStream stdout =
            new LineOutputStream(line -> print(GuestOutput.Stream.stdout, line));
    private final LineOutputStream stderr =
            new LineOutputStream(line -> print(GuestOutput.Stream.stderr, line));

    /**
     * Heap one response byte costs until the step's result is made: the bytes, the parsed JSON, the
     * output parameters and the reply written to the agent.
     */
    static final long RESPONSE_HEAP_FACTOR = 4;

    private final InstanceFootprint footprint;

    CallState(InstanceLimits limits, GuestOutput output, InstanceFootprint footprint) {
        this.limits = limits;
        this.output = output;
        this.footprint = footprint;
    }

    /** Charges a response of {@code length} bytes before it is read from the guest. */
    void chargeResponse(long length) {
        if (!footprint.chargeCall(
                length * RESPONSE_HEAP_FACTOR,
                "the guest's response of %s"
                        .formatted(io.argowasm.budget.Sizes.describe(length)))) {
            throw new GuestViolation(footprint.refusal());
        }
    }

    LineOutputStream stdout() {
        return stdout;
    }

    LineOutputStream stderr() {
        return stderr;
    }

    /** Sends a last line the guest printed without a newline to the output it belongs to. */
    void flushOutput() {
        stdout.flush();
        stderr.flush();
    }

    void begin(byte[] operation, byte[] payload, HostBindings bindings, GuestOutput output) {
        this.operation = operation;
        this.payload = payload;
        this.bindings = bindings;
        this.output = output;
        this.guestResponse = null;
        this.guestError = null;
        this.hostResponse = EMPTY;
        this.hostError = EMPTY;
    }

    /** Drops the call's buffers so an idle instance holds no payloads. */
    void end() {
        flushOutput();
        begin(EMPTY, EMPTY, HostBindings.NONE, output);
    }

    byte[] operation() {
        return operation;
    }

    byte[] payload() {
        return payload;
    }

    byte[] guestResponse() {
        return guestResponse;
    }

    void guestResponse(byte[] response) {
        guestResponse = response;
    }

    String guestError() {
        return guestError;
    }

    void guestError(String error) {
        guestError = error;
    }

    byte[] hostResponse() {
        return hostResponse;
    }

    byte[] hostError() {
        return hostError;
    }

    int maxResponseBytes() {
        return limits.maxResponseBytes();
    }

    int maxHostPayloadBytes() {
        return limits.maxHostPayloadBytes();
    }

    /** What the guest's {@code wasi_experimental_http} requests go to during this call. */
    HttpExchange http() {
        return bindings.http();
    }

    void print(GuestOutput.Stream stream, String line) {
        output.line(stream, line);
    }

    /** Runs a host call for the guest: 1 with a response, 0 with an error text. */
    int hostCall(String binding, String namespace, String operation, byte[] payload) {
        hostResponse = EMPTY;
        hostError = EMPTY;
        try {
            byte[] response = bindings.call(binding, namespace, operation, payload);
            hostResponse = response == null ? EMPTY : response;
            return 1;
        } catch (HostCallException e) {
            hostError = e.getMessage().getBytes(StandardCharsets.UTF_8);
            return 0;
        }
    }
}
