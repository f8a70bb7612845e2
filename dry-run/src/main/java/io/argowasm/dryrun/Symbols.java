package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;

/** The marks {@code argo get} puts before a node. */
final class Symbols {

    private Symbols() {}

    static String of(NodePhase phase) {
        return switch (phase) {
            case Succeeded -> "✔";
            case Failed -> "✖";
            case Error -> "⚠";
            case Skipped, Omitted -> "○";
            case Running -> "●";
            case Pending -> "◷";
        };
    }
}
