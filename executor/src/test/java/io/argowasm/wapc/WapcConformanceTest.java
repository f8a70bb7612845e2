package io.argowasm.wapc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.TestModules;
import io.argowasm.wapc.GuestCallException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The waPC host's behaviour, driven by real guests (see src/test/resources/wasm/README.md). */
@ParameterizedClass
@EnumSource(Machines.class)
class WapcConformanceTest {

    @Parameter Machines machines;

    private static final InstanceLimits LIMITS = InstanceLimits.ofMemory(16L << 20);

    private WapcModule module(String name) throws InvalidModuleException {
        return machines.module(TestModules.bytes(TestModules.test(name)));
    }

    private WapcInstance instance(String name) throws Exception {
        return WapcInstance.create(module(name), LIMITS, GuestOutput.keeping(10));
    }

    private static String call(WapcInstance instance, String op, String payload)
            throws GuestCallException {
        return call(instance, op, payload, HostBindings.NONE);
    }

    private static String call(
            WapcInstance instance, String op, String payload, HostBindings bindings)
            throws GuestCallException {
        byte[] response =
                instance.call(
                        op,
                        payload.getBytes(StandardCharsets.UTF_8),
                        bindings,
                        GuestOutput.keeping(10));
        return new String(response, StandardCharsets.UTF_8);
    }

    @Test
    void echoesThePayloadThroughGuestRequestAndGuestResponse() throws Exception {
        assertThat(call(instance("echo"), "anything", "{\"a\":1}")).isEqualTo("{\"a\":1}");
    }

    @Test
    void passesTheOperationAndAnEmptyPayload() throws Exception {
        assertThat(call(instance("conformance"), "echo", "")).isEmpty();
    }

    @Test
    void handsOverPayloadsLargerThanTheGuestsInitialMemory() throws Exception {
        String big = "x".repeat(3 << 20);
        assertThat(call(instance("echo"), "echo", big)).hasSize(big.length());
    }

    @Test
    void aGuestErrorFailsTheCallWithTheGuestsText() throws Exception {
        WapcInstance instance = instance("conformance");
        assertThatThrownBy(() -> call(instance, "fail", "boom"))
                .isInstanceOf(GuestCallException.class)
                .hasMessageContaining("deliberate failure: boom")
                .extracting(e -> ((GuestCallException) e).kind())
                .isEqualTo(Kind.GUEST_ERROR);
        assertThat(instance.usable()).as("a guest error leaves the instance usable").isTrue();
        assertThat(call(instance, "echo", "again")).isEqualTo("again");
    }

    @Test
    void returningZeroWithoutAnErrorFailsWithAFixedText() throws Exception {
        assertThatThrownBy(() -> call(instance("conformance"), "fail-silent", ""))
                .hasMessageContaining("reported failure without an error message");
    }

    @Test
    void returningSuccessWithoutAResponseIsAProtocolError() throws Exception {
        assertThatThrownBy(() -> call(instance("conformance"), "no-response", ""))
                .hasMessageContaining("never called __guest_response")
                .extracting(e -> ((GuestCallException) e).kind())
                .isEqualTo(Kind.PROTOCOL);
    }

    @Test
    void aTrapFailsTheCallAndBreaksTheInstance() throws Exception {
        WapcInstance instance = instance("conformance");
        assertThatThrownBy(() -> call(instance, "trap", ""))
                .hasMessageContaining("trapped")
                .extracting(e -> ((GuestCallException) e).kind())
                .isEqualTo(Kind.TRAP);
        assertThat(instance.usable()).isFalse();
    }

    @Test
    void runawayRecursionIsReportedAsStackExhaustion() throws Exception {
        assertThatThrownBy(() -> call(instance("conformance"), "recurse", ""))
                .hasMessageContaining("exhausted its stack")
                .extracting(e -> ((GuestCallException) e).kind())
                .isEqualTo(Kind.STACK_EXHAUSTED);
    }

    @Test
    void memoryGrowthStopsAtTheLimitWhichTablesShare() throws Exception {
        WapcInstance instance =
                WapcInstance.create(
                        module("conformance"),
                        InstanceLimits.ofMemory(4L << 20),
                        GuestOutput.keeping(1));
        String response = call(instance, "grow", "");
        // The guest's function table takes a few hundred bytes of the limit: the last page is out
        // of reach.
        assertThat(response).contains("\"pages\":\"63\"");
        assertThat(instance.memoryBytes()).isEqualTo((4L << 20) - 65536);
    }

    @Test
    void aModuleNeedingMoreInitialMemoryThanTheLimitIsRefused() throws Exception {
        assertThatThrownBy(
                        () ->
                                WapcInstance.create(
                                        module("huge-initial-memory"),
                                        LIMITS,
                                        GuestOutput.keeping(1)))
                .hasMessageContaining("131072 KiB of memory at start")
                .hasMessageContaining("raise plugin.wasm.limits.memory");
    }

    @Test
    void outOfBoundsResponsePointerFailsTheCallNotTheHost() throws Exception {
        assertThatThrownBy(() -> call(instance("conformance"), "oob-response", ""))
                .hasMessageContaining(
                        "__guest_response was given a buffer outside the guest's memory")
                .extracting(e -> ((GuestCallException) e).kind())
                .isEqualTo(Kind.PROTOCOL);
    }

    @Test
    void aHugeResponseLengthIsRefusedBeforeAnyCopy() throws Exception {
        assertThatThrownBy(() -> call(instance("conformance"), "huge-length", ""))
                .hasMessageContaining(
                        "the guest's response of 2147483647 bytes is over the sidecar's cap of"
                                + " 16777216 bytes (--max-response-size)");
    }

    @Test
    void outOfBoundsRequestBuffersFailTheCall() throws Exception {
        assertThatThrownBy(() -> call(instance("conformance"), "oob-request", "payload"))
                .hasMessageContaining("__guest_request was given a buffer outside");
    }

    @Test
    void outOfBoundsHostCallArgumentsFailTheCall() throws Exception {
        assertThatThrownBy(() -> call(instance("conformance"), "oob-host-call", ""))
                .hasMessageContaining("__host_call was given a buffer outside");
    }

    @Test
    void aHostCallReachesItsBindingAndReturnsTheResponse() throws Exception {
        List<String> seen = new ArrayList<>();
        HostBindings bindings =
                HostBindings.builder()
                        .bind(
                                "test",
                                (namespace, operation, payload) -> {
                                    seen.add(
                                            namespace
                                                    + "/"
                                                    + operation
                                                    + "/"
                                                    + new String(payload, StandardCharsets.UTF_8));
                                    return "pong".getBytes(StandardCharsets.UTF_8);
                                })
                        .build();
        String response =
                call(
                        instance("conformance"),
                        "host-call",
                        "{\"binding\":\"test\",\"namespace\":\"ns\",\"operation\":\"ping\",\"payload\":\"hi\"}",
                        bindings);
        assertThat(seen).containsExactly("ns/ping/hi");
        assertThat(response).contains("\"ok\":\"true\"").contains("\"response\":\"pong\"");
    }

    @Test
    void aFailingHostCallGivesTheGuestTheErrorText() throws Exception {
        HostBindings bindings =
                HostBindings.builder()
                        .bind(
                                "test",
                                (namespace, operation, payload) -> {
                                    throw new HostCallException("no such thing: " + namespace);
                                })
                        .build();
        String response =
                call(
                        instance("conformance"),
                        "host-call",
                        "{\"binding\":\"test\",\"namespace\":\"nope\",\"operation\":\"x\",\"payload\":\"\"}",
                        bindings);
        assertThat(response).contains("\"ok\":\"false\"").contains("no such thing: nope");
    }

    @Test
    void anUnknownBindingIsAHostErrorNotACrash() throws Exception {
        String response =
                call(
                        instance("conformance"),
                        "host-call",
                        "{\"binding\":\"missing\",\"namespace\":\"a\",\"operation\":\"b\",\"payload\":\"\"}");
        assertThat(response)
                .contains("\"ok\":\"false\"")
                .contains("unknown host call binding 'missing'");
    }

    @Test
    void initialisationHooksRunOnceInWapcOrder() throws Exception {
        WapcInstance instance = instance("start-init-order");
        assertThat(call(instance, "any", "")).contains("start,initialize,wapc_init");
        assertThat(call(instance, "any", ""))
                .as("hooks run once per instance")
                .contains("start,initialize,wapc_init\"");
    }

    @Test
    void aReactorsConstructorsAndWapcInitRunBeforeTheFirstCall() throws Exception {
        assertThat(call(instance("conformance"), "init-order", ""))
                .contains("initialize,wapc_init");
    }

    @Test
    void aStartThatExitsWithNonZeroFailsInstantiation() {
        assertThatThrownBy(() -> instance("start-exit1"))
                .hasMessageContaining("_start exited with code 1")
                .extracting(e -> ((GuestCallException) e).kind())
                .isEqualTo(Kind.INSTANTIATION);
    }

    @Test
    void stateLivesWithTheInstanceAndAFreshInstanceStartsClean() throws Exception {
        WapcInstance first = instance("conformance");
        assertThat(call(first, "counter", "")).contains("\"count\":\"1\"");
        assertThat(call(first, "counter", "")).contains("\"count\":\"2\"");
        assertThat(call(instance("conformance"), "counter", "")).contains("\"count\":\"1\"");
    }

    @Test
    void consoleAndWasiOutputAreCapturedLineByLine() throws Exception {
        WapcInstance instance = instance("conformance");
        List<String> lines = new ArrayList<>();
        GuestOutput output = new GuestOutput(10, (stream, text) -> lines.add(stream + ": " + text));
        assertThatThrownBy(() -> instance.call("log", new byte[0], HostBindings.NONE, output))
                .hasMessageContaining("logged and failed");
        assertThat(lines)
                .contains(
                        "console: console line 1",
                        "console: console line 3",
                        "stdout: stdout line",
                        "stderr: stderr line");
        assertThat(output.lastLines()).contains("stderr: stderr line");
    }

    @Test
    void wasiGrantsNoEnvironmentAndNoFiles() throws Exception {
        String response = call(instance("conformance"), "env", "");
        assertThat(response).contains("\"environ\":\"0\"").contains("\"file\":\"no\"");
    }

    @Test
    void aModuleWithoutGuestCallIsRefused() {
        assertThatThrownBy(() -> module("no-guest-call"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("does not export __guest_call");
    }

    @Test
    void aModuleImportingWhatTheHostLacksIsRefusedNamingTheImport() {
        assertThatThrownBy(() -> module("unknown-import"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("env.mystery (function)");
    }

    @Test
    void truncatedAndNonWasmBytesAreRefused() {
        assertThatThrownBy(() -> module("truncated"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("is not a valid WebAssembly module");
        assertThatThrownBy(() -> module("not-wasm"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("is not a valid WebAssembly module");
    }

    @Test
    void anInterruptedCallStopsTheGuest() throws Exception {
        WapcInstance instance = instance("conformance");
        Thread caller = Thread.currentThread();
        Thread interrupter =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(200);
                            } catch (InterruptedException e) {
                                return;
                            }
                            caller.interrupt();
                        });
        interrupter.start();
        assertThatThrownBy(() -> call(instance, "loop", ""))
                .extracting(e -> ((GuestCallException) e).kind())
                .isEqualTo(Kind.INTERRUPTED);
        Thread.interrupted();
        interrupter.join();
    }
}
