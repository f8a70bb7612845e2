package io.argowasm.dryrun;

/** Told when nodes start and finish, from the threads running them. */
public interface NodeListener {

    NodeListener NONE = new NodeListener() {};

    default void started(Node node) {}

    /** A running step the plugin answered Running or Pending for, with its message. */
    default void waiting(Node node, String message) {}

    default void finished(Node node) {}
}
