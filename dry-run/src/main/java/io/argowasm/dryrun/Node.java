package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One node of the run, as Argo records it in {@code status.nodes}. Written by the thread running it
 * and read by the printers, hence synchronized.
 */
public final class Node {

    private final String id;
    private final String name;
    private final String displayName;
    private final NodeType type;
    private final String templateName;
    private final long order;
    private final List<Node> children = new ArrayList<>();
    private NodePhase phase = NodePhase.Pending;
    private String message = "";
    private Instant startedAt;
    private Instant finishedAt;
    private final Map<String, String> inputParameters = new LinkedHashMap<>();
    private final Map<String, String> outputParameters = new LinkedHashMap<>();
    private final List<ObjectNode> outputArtifacts = new ArrayList<>();
    private String result;

    Node(
            String id,
            String name,
            String displayName,
            NodeType type,
            String templateName,
            long order) {
        this.id = id;
        this.name = name;
        this.displayName = displayName;
        this.type = type;
        this.templateName = templateName;
        this.order = order;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String displayName() {
        return displayName;
    }

    public NodeType type() {
        return type;
    }

    public String templateName() {
        return templateName;
    }

    public synchronized List<Node> children() {
        return List.copyOf(children);
    }

    /** Children stay in the order of their steps, tasks and items, however they were started. */
    synchronized void addChild(Node child) {
        int at = children.size();
        while (at > 0 && children.get(at - 1).order > child.order) {
            at--;
        }
        children.add(at, child);
    }

    public synchronized NodePhase phase() {
        return phase;
    }

    public synchronized String message() {
        return message;
    }

    public synchronized Instant startedAt() {
        return startedAt;
    }

    public synchronized Instant finishedAt() {
        return finishedAt;
    }

    /** Time from start to finish, or to now while running; zero before it starts. */
    public synchronized Duration duration() {
        if (startedAt == null) {
            return Duration.ZERO;
        }
        return Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt);
    }

    public synchronized Map<String, String> inputParameters() {
        return Map.copyOf(inputParameters);
    }

    public synchronized Map<String, String> outputParameters() {
        return new LinkedHashMap<>(outputParameters);
    }

    public synchronized List<ObjectNode> outputArtifacts() {
        return List.copyOf(outputArtifacts);
    }

    public synchronized String result() {
        return result;
    }

    synchronized void start() {
        phase = NodePhase.Running;
        startedAt = Instant.now();
    }

    synchronized void finish(NodePhase phase, String message) {
        this.phase = phase;
        this.message = message == null ? "" : message;
        if (startedAt == null) {
            startedAt = Instant.now();
        }
        finishedAt = Instant.now();
    }

    synchronized void inputs(Map<String, String> parameters) {
        inputParameters.putAll(parameters);
    }

    synchronized void outputs(
            Map<String, String> parameters, List<ObjectNode> artifacts, String result) {
        outputParameters.putAll(parameters);
        outputArtifacts.addAll(artifacts);
        this.result = result;
    }
}
