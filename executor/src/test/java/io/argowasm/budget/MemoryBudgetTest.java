package io.argowasm.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void chargesWithinTheCapacityAndReleasesThem() throws Exception {
        MemoryBudget budget = MemoryBudget.of(100);
        budget.charge(60, "a");
        budget.charge(40, "b");
        assertThat(budget.used()).isEqualTo(100);
        budget.release(40);
        assertThat(budget.used()).isEqualTo(60);
        assertThat(budget.peak()).isEqualTo(100);
    }

    @Test
    void aChargeOthersHoldTheRoomForIsTransient() throws Exception {
        MemoryBudget budget = MemoryBudget.of(100);
        budget.charge(80, "a");
        assertThatThrownBy(() -> budget.charge(30, "the step's memory"))
                .isInstanceOfSatisfying(
                        OutOfBudgetException.class, e -> assertThat(e.isTransient()).isTrue())
                .hasMessageContaining("the step's memory needs 30 B")
                .hasMessageContaining("other steps hold");
        assertThat(budget.used()).isEqualTo(80);
    }

    @Test
    void aChargeLargerThanTheWholeBudgetIsNotTransientAndNamesTheFix() {
        MemoryBudget budget = MemoryBudget.of(1 << 20);
        assertThatThrownBy(() -> budget.charge(2 << 20, "the module's initial memory"))
                .isInstanceOfSatisfying(
                        OutOfBudgetException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("2.0 MiB")
                .hasMessageContaining("lower plugin.wasm.limits.memory")
                .hasMessageContaining("--memory-budget");
    }

    @Test
    void cachesGiveMemoryBackBeforeAChargeIsRefusedAndLastResortsComeLast() throws Exception {
        MemoryBudget budget = MemoryBudget.of(100);
        budget.charge(90, "cached");
        StringBuilder asked = new StringBuilder();
        budget.addLastResortReclaimer(
                wanted -> {
                    asked.append("last;");
                    budget.release(90);
                });
        budget.addReclaimer(wanted -> asked.append("cheap;"));
        budget.charge(50, "new");
        assertThat(asked).hasToString("cheap;last;");
        assertThat(budget.used()).isEqualTo(50);
    }

    @Test
    void aResultAlreadyMadeIsChargedEvenPastTheCapacity() throws Exception {
        MemoryBudget budget = MemoryBudget.of(100);
        budget.charge(100, "a");
        budget.chargeAnyway(10);
        assertThat(budget.used()).isEqualTo(110);
        assertThat(budget.tryCharge(1)).isFalse();
    }

    @Test
    void theHeapBudgetLeavesAQuarterAndAtLeast96MiB() {
        assertThat(MemoryBudget.fromHeap(384L << 20)).isEqualTo(288L << 20);
        assertThat(MemoryBudget.fromHeap(2L << 30)).isEqualTo(1536L << 20);
        assertThat(MemoryBudget.fromHeap(128L << 20)).isEqualTo(32L << 20);
    }
}
