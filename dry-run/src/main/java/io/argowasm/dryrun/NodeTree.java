package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes of a run, created as Argo's controller names them: the root carries the workflow's
 * name, steps are {@code parent[group].step}, tasks {@code parent.task}, items {@code
 * step(index:item)}, and ids are the workflow name plus the FNV-1a hash of the node name.
 */
public final class NodeTree {

    private final String workflowName;
    private final NodeListener listener;
    private final List<Node> nodes = new ArrayList<>();
    private Node root;

    NodeTree(String workflowName, NodeListener listener) {
        this.workflowName = workflowName;
        this.listener = listener;
    }

    public Node root() {
        return root;
    }

    /** Every node, in creation order. */
    public synchronized List<Node> nodes() {
        return List.copyOf(nodes);
    }

    synchronized Node createRoot(NodeType type, String templateName) {
        root = new Node(workflowName, workflowName, workflowName, type, templateName, 0);
        nodes.add(root);
        return root;
    }

    /**
     * @param order the node's place among its siblings: step or task index, then item index
     */
    synchronized Node create(
            Node parent,
            String name,
            String displayName,
            NodeType type,
            String templateName,
            long order) {
        Node node = new Node(id(name), name, displayName, type, templateName, order);
        parent.addChild(node);
        nodes.add(node);
        return node;
    }

    void start(Node node) {
        node.start();
        listener.started(node);
    }

    void waiting(Node node, String message) {
        listener.waiting(node, message);
    }

    void finish(Node node, NodePhase phase, String message) {
        node.finish(phase, message);
        listener.finished(node);
    }

    private String id(String nodeName) {
        int hash = 0x811c9dc5;
        for (byte b : nodeName.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return workflowName + "-" + Integer.toUnsignedString(hash);
    }
}
