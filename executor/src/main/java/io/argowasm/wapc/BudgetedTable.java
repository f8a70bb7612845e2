package io.argowasm.wapc;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.TableLimits;

/**
 * A table whose entries are charged to the instance's {@link InstanceFootprint} before they are
 * allocated. It also keeps its limits to itself: Chicory's table grows the limits object of the
 * module it came from, which would make every later instance of the module start larger.
 */
final class BudgetedTable extends TableInstance {

    private final InstanceFootprint footprint;

    private BudgetedTable(Table table, int initialValue, InstanceFootprint footprint) {
        super(table, initialValue);
        this.footprint = footprint;
    }

    /** Charges the table's initial entries, then makes it; a refusal stops instantiation. */
    static BudgetedTable create(Table declared, int initialValue, InstanceFootprint footprint) {
        TableLimits limits = declared.limits();
        footprint.chargeInitialTable(limits.min());
        Table own =
                new Table(
                        declared.elementType(),
                        new TableLimits(limits.min(), limits.max(), limits.shared()),
                        declared.initialize());
        return new BudgetedTable(own, initialValue, footprint);
    }

    @Override
    public int grow(int size, int value, Instance instance) {
        if (size < 0 || size() + (long) size > limits().max()) {
            return -1;
        }
        if (size > 0 && !footprint.growTable(size)) {
            return -1;
        }
        return super.grow(size, value, instance);
    }
}
