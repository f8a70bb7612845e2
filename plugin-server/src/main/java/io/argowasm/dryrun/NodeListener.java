package io.argowasm.dryrun;

/** Told when nodes start and finish, from the threads running them. */
public interface NodeListener {

    NodeListener NONE = new NodeListener() {};

    default void started(Node node) {}

    default void finished(Node node) {}
}
