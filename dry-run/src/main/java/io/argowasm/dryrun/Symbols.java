package io.argowasm.dryrun;

/** The marks {@code argo get} puts before a node. */
final class Symbols {

    private Symbols() {}

    static String of(Phase phase) {
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
