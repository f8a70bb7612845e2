package io.argowasm.wapc;

import io.argowasm.budget.MemoryBudget;
import io.argowasm.module.Digests;

/**
 * The two ways a module's instances run, for tests that must hold for both: Chicory's compiled
 * code, and its interpreter (what a module's first calls run with {@code --first-calls
 * interpreted}; here its background compilation never starts, so it stays interpreted).
 */
enum Machines {
    COMPILED,
    INTERPRETED;

    WapcModule module(byte[] bytes, MemoryBudget budget) throws InvalidModuleException {
        String digest = Digests.sha256(bytes);
        return switch (this) {
            case COMPILED -> WapcModule.compile(bytes, digest, null, budget);
            case INTERPRETED ->
                    WapcModule.compile(
                            bytes, digest, null, budget, new BackgroundCompiler(held -> {}));
        };
    }

    WapcModule module(byte[] bytes) throws InvalidModuleException {
        return module(bytes, MemoryBudget.unlimited());
    }
}
