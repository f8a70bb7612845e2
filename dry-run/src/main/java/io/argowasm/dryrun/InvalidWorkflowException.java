package io.argowasm.dryrun;

import java.util.List;

/** The input cannot be dry-run: each problem names the document and field it is about. */
public final class InvalidWorkflowException extends RuntimeException {

    private final List<String> problems;

    public InvalidWorkflowException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidWorkflowException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
