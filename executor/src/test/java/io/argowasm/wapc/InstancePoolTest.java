package io.argowasm.wapc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.TestModules;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Pooled instances are reset to their post-initialisation snapshot between invocations. */
@ParameterizedClass
@EnumSource(Machines.class)
class InstancePoolTest {

    @Parameter Machines machines;

    private WapcModule module(String name) throws InvalidModuleException {
        return machines.module(TestModules.bytes(TestModules.test(name)));
    }

    private static String callOnce(InstancePool pool, String op, String payload)
            throws GuestCallException {
        WapcInstance instance = pool.borrow(GuestOutput.keeping(1));
        try {
            return new String(
                    instance.call(
                            op,
                            payload.getBytes(StandardCharsets.UTF_8),
                            HostBindings.NONE,
                            GuestOutput.keeping(1)),
                    StandardCharsets.UTF_8);
        } finally {
            pool.giveBack(instance);
        }
    }

    @Test
    void stateNeverLeaksFromOneInvocationIntoTheNext() throws Exception {
        InstancePool pool = module("conformance").pool(InstanceLimits.ofMemory(16L << 20));
        for (int i = 0; i < 5; i++) {
            assertThat(callOnce(pool, "counter", "")).contains("\"count\":\"1\"");
        }
        assertThat(pool.created()).as("one instance serves every call").isEqualTo(1);
    }

    @Test
    void aGuestThatScribblesOverItsMemoryIsRestoredForTheNextCall() throws Exception {
        InstancePool pool = module("conformance").pool(InstanceLimits.ofMemory(16L << 20));
        callOnce(pool, "echo", "x".repeat(60_000));
        assertThat(callOnce(pool, "init-order", "")).contains("initialize,wapc_init");
        assertThat(callOnce(pool, "counter", "")).contains("\"count\":\"1\"");
        assertThat(pool.created()).isEqualTo(1);
    }

    @Test
    void anInstanceThatTrappedIsNotReused() throws Exception {
        InstancePool pool = module("conformance").pool(InstanceLimits.ofMemory(16L << 20));
        assertThatThrownBy(() -> callOnce(pool, "trap", "")).isInstanceOf(GuestCallException.class);
        assertThat(callOnce(pool, "counter", "")).contains("\"count\":\"1\"");
        assertThat(pool.created()).isEqualTo(2);
    }

    @Test
    void anInstanceWhoseMemoryGrewIsReplaced() throws Exception {
        InstancePool pool = module("echo").pool(InstanceLimits.ofMemory(16L << 20));
        callOnce(pool, "echo", "y".repeat(200_000));
        assertThat(callOnce(pool, "echo", "small")).isEqualTo("small");
        assertThat(pool.created()).isEqualTo(2);
    }

    @Test
    void differentLimitsGetDifferentPools() throws Exception {
        WapcModule module = module("echo");
        assertThat(module.pool(InstanceLimits.ofMemory(1L << 20)))
                .isNotSameAs(module.pool(InstanceLimits.ofMemory(2L << 20)))
                .isSameAs(module.pool(InstanceLimits.ofMemory(1L << 20)));
    }
}
