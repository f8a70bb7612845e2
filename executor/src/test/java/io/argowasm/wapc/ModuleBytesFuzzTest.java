package io.argowasm.wapc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.argowasm.module.Digests;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Any bytes as a module, through what the sidecar does with one: parse and check and compile
 * ({@link WapcModule#compile}), instantiate under a 1 MiB memory limit, call {@code run}. Each
 * stage works or fails with the exception it declares ({@link InvalidModuleException}, {@link
 * GuestCallException}); anything else escaping (an {@link OutOfMemoryError} from a count the bytes
 * only claim, a {@link NegativeArraySizeException}...) is a finding. So is a declared exception
 * caused by an {@link OutOfMemoryError}: the sidecar runs with {@code -XX:+ExitOnOutOfMemoryError}
 * and would have exited before catching it. A call still running after a few seconds is
 * interrupted, as the sidecar's timeout does, and must then end.
 *
 * <p>In {@code mvn verify} this replays the inputs in {@code ModuleBytesFuzzTestInputs}: the small
 * modules of src/test/resources/wasm/hostile and {@code echo.wasm}, byte for byte; {@code
 * JAZZER_FUZZ=1} fuzzes it (see plugin-server/README.md).
 */
class ModuleBytesFuzzTest {

    private static final byte[] PAYLOAD =
            "{\"parameters\":{\"text\":\"fuzz\"}}".getBytes(StandardCharsets.UTF_8);
    private static final InstanceLimits LIMITS = InstanceLimits.ofMemory(1 << 20);
    private static final long CALL_SECONDS = 2;
    private static final long STOP_SECONDS = 10;

    private static final ExecutorService guests =
            Executors.newCachedThreadPool(
                    work -> {
                        Thread thread = new Thread(work, "fuzzed-guest");
                        thread.setDaemon(true);
                        return thread;
                    });

    @FuzzTest(maxDuration = "5s")
    void anyModuleBytesRunOrFailWithADeclaredException(FuzzedDataProvider data) throws Throwable {
        byte[] bytes = data.consumeRemainingAsBytes();
        WapcModule module;
        try {
            module = WapcModule.compile(bytes, Digests.sha256(bytes));
        } catch (InvalidModuleException e) {
            assertDeclared(e);
            return;
        }
        CountDownLatch ended = new CountDownLatch(1);
        Future<byte[]> call =
                guests.submit(
                        () -> {
                            try {
                                return module.pool(LIMITS)
                                        .borrow(GuestOutput.keeping(0))
                                        .call(
                                                "run",
                                                PAYLOAD,
                                                HostBindings.NONE,
                                                GuestOutput.keeping(0));
                            } finally {
                                ended.countDown();
                            }
                        });
        try {
            call.get(CALL_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GuestCallException failure)) {
                throw e.getCause();
            }
            assertDeclared(failure);
        } catch (TimeoutException e) {
            call.cancel(true);
            assertThat(ended.await(STOP_SECONDS, TimeUnit.SECONDS))
                    .as("the guest still runs %d s after it was interrupted", STOP_SECONDS)
                    .isTrue();
        }
    }

    /** A failure as the sidecar would report it: with a message, and not out of heap. */
    private static void assertDeclared(Exception failure) {
        assertThat(failure.getMessage()).isNotBlank();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof OutOfMemoryError) {
                throw new AssertionError(
                        "the host ran out of heap; a sidecar (-XX:+ExitOnOutOfMemoryError) would"
                                + " have exited",
                        failure);
            }
        }
    }
}
