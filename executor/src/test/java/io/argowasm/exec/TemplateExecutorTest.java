package io.argowasm.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.ExecuteTemplateReply;
import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.exec.Invocations.InvocationRetention;
import io.argowasm.module.ModuleFetcher;
import io.argowasm.module.ModuleRef;
import io.argowasm.module.ModuleStore;
import io.argowasm.wapc.InstanceLimits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Long steps, retries, saturation and shutdown, as Argo's agent exercises them. */
class TemplateExecutorTest {

    private final ModuleStore modules =
            new ModuleStore(new ModuleFetcher(1L << 20, Duration.ofSeconds(5)), 64L << 20, 8);
    private TemplateExecutor executor;

    /** Compiles the test guest before each test, so no request waits for a compilation. */
    @BeforeEach
    void compileTheGuest() throws Exception {
        instancesCreated();
    }

    @AfterEach
    void close() {
        if (executor != null) {
            executor.close();
        }
    }

    private TemplateExecutor.Builder builder() {
        return TemplateExecutor.builder(Json.mapper(), modules)
                .replyWithin(Duration.ofMillis(200))
                .requeue(Duration.ofSeconds(1));
    }

    static ExecuteTemplateArgs request(String uid, String operation, String options) {
        return request(uid, operation, options, "{}");
    }

    static ExecuteTemplateArgs request(
            String uid, String operation, String options, String limits) {
        String body =
                """
                {"workflow":{"metadata":{"name":"wf","namespace":"argo","uid":"%s"}},
                 "template":{"name":"step","inputs":{},"outputs":{},"metadata":{},
                  "plugin":{"wasm":{"module":{"file":"%s"},"operation":"%s","options":%s,
                                    "limits":%s}}}}
                """
                        .formatted(
                                uid, TestModules.test("conformance"), operation, options, limits);
        return Json.mapper().readValue(body, ExecuteTemplateArgs.class);
    }

    private int instancesCreated() throws Exception {
        return modules.load(ModuleRef.ofFile(TestModules.test("conformance"), null))
                .pool(InstanceLimits.ofMemory(ExecutionLimits.DEFAULTS.defaultMemoryBytes()))
                .created();
    }

    @Test
    void aLongStepAnswersRunningWithARequeueThenItsResultWithoutRunningTwice() throws Exception {
        executor = builder().build();
        ExecuteTemplateArgs args = request("uid-long", "wait-ms", "{\"ms\":1000}");
        ExecuteTemplateReply first = executor.execute(args);
        assertThat(first.node().phase()).isEqualTo(NodePhase.Running);
        assertThat(first.requeue()).isEqualTo("1s");
        assertThat(first.node().message())
                .contains("operation 'wait-ms'")
                .contains("still running");
        ExecuteTemplateReply last = first;
        for (int i = 0; i < 50 && last.node().phase() == NodePhase.Running; i++) {
            last = executor.execute(args);
        }
        assertThat(last.node().phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(last.node().outputs().parameters().get(0).value()).isEqualTo("1000");
        assertThat(instancesCreated()).as("the retries joined the one invocation").isEqualTo(1);
    }

    @Test
    void concurrentRetriesOfOneRequestJoinOneInvocation() throws Exception {
        executor = builder().replyWithin(Duration.ofSeconds(10)).build();
        ExecuteTemplateArgs args = request("uid-join", "wait-ms", "{\"ms\":300}");
        CompletableFuture<ExecuteTemplateReply> a =
                CompletableFuture.supplyAsync(() -> executor.execute(args));
        CompletableFuture<ExecuteTemplateReply> b =
                CompletableFuture.supplyAsync(() -> executor.execute(args));
        assertThat(a.get().node().phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(b.get().node().phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(instancesCreated()).isEqualTo(1);
    }

    @Test
    void theSameTemplateInAnotherWorkflowIsAnotherInvocation() throws Exception {
        executor = builder().replyWithin(Duration.ofSeconds(10)).build();
        CompletableFuture<ExecuteTemplateReply> a =
                CompletableFuture.supplyAsync(
                        () -> executor.execute(request("uid-a", "wait-ms", "{\"ms\":300}")));
        CompletableFuture<ExecuteTemplateReply> b =
                CompletableFuture.supplyAsync(
                        () -> executor.execute(request("uid-b", "wait-ms", "{\"ms\":300}")));
        assertThat(a.get().node().phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(b.get().node().phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(instancesCreated()).isEqualTo(2);
    }

    @Test
    void aDeliveredFailureIsForgottenSoArgosRetryStrategyRunsTheStepAgain() {
        executor = builder().build();
        ExecuteTemplateArgs args = request("uid-fail", "fail", "{}");
        assertThat(executor.execute(args).node().phase()).isEqualTo(NodePhase.Failed);
        assertThat(executor.knownInvocations()).isZero();
    }

    @Test
    void aDeliveredSuccessIsKeptToAnswerARetryOfALostReply() throws Exception {
        executor = builder().build();
        ExecuteTemplateArgs args = request("uid-ok", "counter", "{}");
        assertThat(executor.execute(args).node().phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(executor.execute(args).node().phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(executor.knownInvocations()).isEqualTo(1);
    }

    @Test
    void theTimeoutBoundsTheWholeInvocationEvenInTheBackground() {
        executor = builder().build();
        ExecuteTemplateArgs args = request("uid-timeout", "loop", "{}", "{\"timeout\":\"600ms\"}");
        ExecuteTemplateReply reply = executor.execute(args);
        for (int i = 0; i < 50 && reply.node().phase() == NodePhase.Running; i++) {
            reply = executor.execute(args);
        }
        assertThat(reply.node().phase()).isEqualTo(NodePhase.Failed);
        assertThat(reply.node().message()).contains("timed out after 600ms");
    }

    @Test
    void whenEverySlotIsBusyANewStepAnswersPendingWithARequeue() {
        executor = builder().maxConcurrent(1).slotWait(Duration.ofMillis(50)).build();
        assertThat(executor.execute(request("uid-busy", "wait-ms", "{\"ms\":2000}")).node().phase())
                .isEqualTo(NodePhase.Running);
        ExecuteTemplateReply other = executor.execute(request("uid-other", "counter", "{}"));
        assertThat(other.node().phase()).isEqualTo(NodePhase.Pending);
        assertThat(other.requeue()).isEqualTo("1s");
        assertThat(other.node().message()).contains("guest slots");
    }

    @Test
    void shutdownLetsShortStepsFinishAndFailsTheRest() throws Exception {
        executor = builder().replyWithin(Duration.ofSeconds(30)).build();
        assertThat(executor.execute(request("uid-warm", "counter", "{}")).node().phase())
                .as("the module is compiled before the clock starts")
                .isEqualTo(NodePhase.Succeeded);
        CompletableFuture<ExecuteTemplateReply> longStep =
                CompletableFuture.supplyAsync(
                        () -> executor.execute(request("uid-sd", "loop", "{}")));
        CompletableFuture<ExecuteTemplateReply> shortStep =
                CompletableFuture.supplyAsync(
                        () -> executor.execute(request("uid-sd2", "wait-ms", "{\"ms\":100}")));
        Thread.sleep(50);
        executor.shutdown(Duration.ofSeconds(3));
        assertThat(executor.accepting()).isFalse();
        assertThat(shortStep.get().node().phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(longStep.get().node().phase()).isEqualTo(NodePhase.Failed);
        assertThat(longStep.get().node().message()).contains("the sidecar shut down while it ran");
    }

    @Test
    void finishedInvocationsBeyondTheCapAreDroppedOldestFirst() {
        executor =
                builder()
                        // Every step must be answered finished, however slow the machine.
                        .replyWithin(Duration.ofSeconds(30))
                        .retention(
                                new InvocationRetention(
                                        Duration.ofMinutes(1),
                                        Duration.ofMinutes(1),
                                        Duration.ofMinutes(1),
                                        3))
                        .build();
        for (int i = 0; i < 5; i++) {
            assertThat(executor.execute(request("uid-cap-" + i, "counter", "{}")).node().phase())
                    .isEqualTo(NodePhase.Succeeded);
        }
        executor.sweepNow();
        assertThat(executor.knownInvocations()).isEqualTo(3);
        assertThat(executor.execute(request("uid-cap-4", "counter", "{}")).node().phase())
                .isEqualTo(NodePhase.Succeeded);
        assertThat(executor.knownInvocations())
                .as("the newest was answered from its kept result")
                .isEqualTo(3);
        executor.execute(request("uid-cap-0", "counter", "{}"));
        assertThat(executor.knownInvocations()).as("the oldest had been dropped").isEqualTo(4);
    }

    @Test
    void anInvocationNobodyAsksAboutIsStopped() throws Exception {
        executor =
                builder()
                        .retention(
                                new InvocationRetention(
                                        Duration.ofSeconds(60),
                                        Duration.ofMinutes(1),
                                        Duration.ofMillis(100),
                                        100))
                        .build();
        ExecuteTemplateArgs args = request("uid-abandoned", "loop", "{}");
        assertThat(executor.execute(args).node().phase()).isEqualTo(NodePhase.Running);
        Thread.sleep(150);
        executor.sweepNow();
        assertThat(executor.knownInvocations()).isZero();
    }

    @Test
    void timeoutsStopLoopingGuestsAndFreeTheirSlots() throws Exception {
        executor = builder().maxConcurrent(2).replyWithin(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 4; i++) {
            ExecuteTemplateReply reply =
                    executor.execute(
                            request("uid-loop-" + i, "loop", "{}", "{\"timeout\":\"10ms\"}"));
            assertThat(reply.node().phase()).isEqualTo(NodePhase.Failed);
            assertThat(reply.node().message()).contains("timed out after 10ms");
        }
        for (int i = 0; i < 4; i++) {
            assertThat(executor.execute(request("uid-after-" + i, "counter", "{}")).node().phase())
                    .as("the looping guests gave their slots back")
                    .isEqualTo(NodePhase.Succeeded);
        }
    }

    @Test
    void aStepTheMemoryBudgetCannotHoldNowIsPendingWithARequeueAndRunsLater() throws Exception {
        io.argowasm.budget.MemoryBudget budget = io.argowasm.budget.MemoryBudget.of(256L << 20);
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(1L << 20, Duration.ofSeconds(5)),
                        64L << 20,
                        8,
                        null,
                        budget,
                        ModuleStore.DEFAULT_MAX_GENERATED_CODE);
        executor =
                TemplateExecutor.builder(Json.mapper(), store)
                        .replyWithin(Duration.ofSeconds(10))
                        .requeue(Duration.ofSeconds(1))
                        .memoryBudget(budget)
                        .build();
        budget.charge(budget.capacity() - 16384, "other steps");
        ExecuteTemplateArgs args = request("uid-busy", "counter", "{}");
        ExecuteTemplateReply busy = executor.execute(args);
        assertThat(busy.node().phase()).isEqualTo(NodePhase.Pending);
        assertThat(busy.node().message())
                .contains("waiting for memory")
                .contains("compiling module")
                .contains("other steps hold");
        assertThat(busy.requeue()).isEqualTo("1s");
        budget.release(budget.capacity() - 16384);
        assertThat(executor.execute(args).node().phase()).isEqualTo(NodePhase.Succeeded);
    }

    @Test
    void keptResultsAreChargedToTheBudgetUntilTheyAreDropped() throws Exception {
        io.argowasm.budget.MemoryBudget budget = io.argowasm.budget.MemoryBudget.of(256L << 20);
        executor =
                builder()
                        .replyWithin(Duration.ofSeconds(10))
                        .memoryBudget(budget)
                        .retention(
                                new InvocationRetention(
                                        Duration.ZERO,
                                        Duration.ofMinutes(10),
                                        Duration.ofMinutes(5),
                                        100))
                        .build();
        String body =
                """
                {"workflow":{"metadata":{"name":"wf","namespace":"argo","uid":"uid-big"}},
                 "template":{"name":"step","inputs":{},"metadata":{},
                  "outputs":{"parameters":[{"name":"fill"}]},
                  "plugin":{"wasm":{"module":{"file":"%s"},"operation":"huge-response",
                                    "options":{"size":200000}}}}}
                """
                        .formatted(TestModules.test("conformance"));
        ExecuteTemplateReply reply =
                executor.execute(Json.mapper().readValue(body, ExecuteTemplateArgs.class));
        assertThat(reply.node().phase()).isEqualTo(NodePhase.Succeeded);
        assertThat(budget.used()).isGreaterThan(200_000L * 4);
        Thread.sleep(5);
        executor.sweepNow();
        assertThat(budget.used()).isZero();
    }

    @Test
    void deliveredResultsMakeRoomForNewStepsWhenTheBudgetIsShort() throws Exception {
        io.argowasm.budget.MemoryBudget budget = io.argowasm.budget.MemoryBudget.of(40L << 20);
        ModuleStore store =
                new ModuleStore(
                        new ModuleFetcher(1L << 20, Duration.ofSeconds(5)),
                        64L << 20,
                        8,
                        null,
                        budget,
                        ModuleStore.DEFAULT_MAX_GENERATED_CODE);
        executor =
                TemplateExecutor.builder(Json.mapper(), store)
                        .replyWithin(Duration.ofSeconds(10))
                        .memoryBudget(budget)
                        .payloadLimits(new PayloadLimits(1 << 20, 1 << 20, 1 << 20))
                        .build();
        for (int i = 0; i < 100; i++) {
            String body =
                    """
                    {"workflow":{"metadata":{"name":"wf","namespace":"argo","uid":"u-%d"}},
                     "template":{"name":"step","inputs":{},"metadata":{},
                      "outputs":{"parameters":[{"name":"fill"}]},
                      "plugin":{"wasm":{"module":{"file":"%s"},"operation":"huge-response",
                                        "options":{"size":262144}}}}}
                    """
                            .formatted(i, TestModules.test("conformance"));
            ExecuteTemplateReply reply =
                    executor.execute(Json.mapper().readValue(body, ExecuteTemplateArgs.class));
            assertThat(reply.node().phase())
                    .as(reply.node().message())
                    .isEqualTo(NodePhase.Succeeded);
        }
        assertThat(budget.used()).isLessThan(40L << 20);
    }
}
