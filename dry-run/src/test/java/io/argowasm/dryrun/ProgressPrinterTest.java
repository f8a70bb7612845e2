package io.argowasm.dryrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.argo.NodePhase;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

    private final StringWriter text = new StringWriter();

    private ProgressPrinter printer;

    private NodeTree tree(boolean terminal) {
        printer = new ProgressPrinter(new PrintWriter(text), terminal);
        return new NodeTree("wf", printer);
    }

    @AfterEach
    void close() {
        printer.close();
    }

    @Test
    void plainLinesWhenNotATerminal() {
        NodeTree tree = tree(false);
        Node root = tree.createRoot(NodeType.Steps, "main");
        tree.start(root);
        Node step = tree.create(root, "wf[0].greet", "greet", NodeType.Plugin, "greet", 0);
        tree.start(step);
        tree.finish(step, NodePhase.Succeeded, "greeted");
        tree.finish(root, NodePhase.Succeeded, "");
        String[] lines = text.toString().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).matches("\\[\\d\\d:\\d\\d\\.\\d{3}] ▶ wf\\[0]\\.greet");
        assertThat(lines[1])
                .matches("\\[\\d\\d:\\d\\d\\.\\d{3}] ✔ wf\\[0]\\.greet  Succeeded \\d+ms  greeted");
        assertThat(lines[2]).contains("✔ wf  Succeeded");
        assertThat(text.toString()).doesNotContain("\033[");
    }

    @Test
    void aStatusLineIsRedrawnOnATerminal() {
        NodeTree tree = tree(true);
        Node root = tree.createRoot(NodeType.DAG, "main");
        Node step = tree.create(root, "wf.a", "a", NodeType.Plugin, "echo", 0);
        tree.start(step);
        assertThat(text.toString()).contains("\r\033[K").endsWith("running 1, finished 0");
        tree.waiting(step, "still running after 20s");
        assertThat(text.toString()).contains("● wf.a  still running after 20s");
        tree.finish(step, NodePhase.Failed, "boom");
        assertThat(text.toString()).endsWith("running 0, finished 1, failed 1");
    }

    @Test
    void logLinesClearTheStatusLineAndItIsRedrawnBelowThem() {
        NodeTree tree = tree(true);
        Node root = tree.createRoot(NodeType.DAG, "main");
        tree.start(tree.create(root, "wf.a", "a", NodeType.Plugin, "echo", 0));
        printer.logLines().print("[INFO] ModuleStore - compiled module\n");
        assertThat(text.toString())
                .contains("running 1, finished 0\r\033[K[INFO] ModuleStore - compiled module\n◷ ")
                .endsWith("running 1, finished 0");
    }
}
