package io.argowasm.wapc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.argowasm.TestModules;
import io.argowasm.module.Digests;
import io.argowasm.wapc.GuestCallException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;

/**
 * The waPC host's memory handling under any pointers and lengths a guest can pass: {@code
 * host-probe.wasm} calls each host function with the arguments its payload names (see
 * src/test/resources/wasm/README.md). Every call either answers or fails with a {@link
 * GuestCallException}; nothing else escapes, and an unrelated instance stays intact.
 *
 * <p>In {@code mvn verify} this replays the inputs in {@code HostMemoryFuzzTestInputs}; {@code
 * JAZZER_FUZZ=1} fuzzes it (see plugin-server/README.md).
 */
class HostMemoryFuzzTest {

    private static final int RECORD_BYTES = 36;
    private static final int SELECTORS = 12;
    private static final Set<Kind> EXPECTED =
            EnumSet.of(Kind.GUEST_ERROR, Kind.TRAP, Kind.PROTOCOL);
    private static final byte[] WITNESS_PAYLOAD =
            "{\"witness\":\"unchanged\"}".getBytes(StandardCharsets.UTF_8);

    /** Small caps, so fuzzed lengths reach them. */
    private static final InstanceLimits LIMITS = new InstanceLimits(2L << 20, 4096, 4096);

    private static InstancePool probes;
    private static WapcInstance witness;
    private static HostBindings bindings;

    @BeforeAll
    static void load() throws Exception {
        probes = compile("host-probe").pool(LIMITS);
        witness = WapcInstance.create(compile("echo"), LIMITS, GuestOutput.keeping(0));
        bindings =
                HostBindings.builder()
                        .bind("echo", (namespace, operation, payload) -> payload)
                        .bind(
                                "fail",
                                (namespace, operation, payload) -> {
                                    throw new HostCallException(
                                            "refused " + namespace + "/" + operation);
                                })
                        .build();
    }

    private static WapcModule compile(String name) throws InvalidModuleException {
        byte[] bytes = TestModules.bytes(TestModules.test(name));
        return WapcModule.compile(bytes, Digests.sha256(bytes));
    }

    @FuzzTest(maxDuration = "5s")
    void hostFunctionsFailOnlyWithAGuestCallException(FuzzedDataProvider data) throws Exception {
        String operation = data.consumeString(80);
        byte[] payload = records(data);
        WapcInstance probe = probes.borrow(GuestOutput.keeping(2));
        try {
            probe.call(operation, payload, bindings, GuestOutput.keeping(2));
        } catch (GuestCallException e) {
            assertThat(e.kind()).as(e.getMessage()).isIn(EXPECTED);
            assertThat(e.getMessage()).isNotBlank();
        } finally {
            probes.giveBack(probe);
        }
        assertThat(witness.call("echo", WITNESS_PAYLOAD, HostBindings.NONE, GuestOutput.keeping(0)))
                .as("an unrelated instance answers as before")
                .isEqualTo(WITNESS_PAYLOAD);
        assertThat(respondWithOperation())
                .as("a pooled probe instance is back to its initial state")
                .isEqualTo("probe");
    }

    /** Records with a selector and eight arguments each: pointers near memory's edges, or any. */
    private static byte[] records(FuzzedDataProvider data) {
        int count = data.consumeInt(0, 16);
        ByteBuffer buffer =
                ByteBuffer.allocate(count * RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            buffer.putInt(data.consumeInt(0, SELECTORS - 1));
            for (int a = 0; a < 8; a++) {
                buffer.putInt(argument(data));
            }
        }
        return buffer.array();
    }

    private static int argument(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> data.consumeInt(0, 256);
            case 1 -> data.consumeInt(0, 4 << 20);
            case 2 -> 65536 - data.consumeInt(-64, 64);
            default -> data.consumeInt();
        };
    }

    /** A probe that answers its operation name: one record, __guest_response(0, 5). */
    private static String respondWithOperation() throws GuestCallException {
        ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(1).putInt(0).putInt(5);
        WapcInstance probe = probes.borrow(GuestOutput.keeping(0));
        try {
            return new String(
                    probe.call("probe", record.array(), HostBindings.NONE, GuestOutput.keeping(0)),
                    StandardCharsets.UTF_8);
        } finally {
            probes.giveBack(probe);
        }
    }
}
