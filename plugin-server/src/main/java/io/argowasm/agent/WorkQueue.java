package io.argowasm.agent;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * A queue of task sets to reconcile that holds each key once, and never hands one key to two
 * workers at a time: a key added while it is being worked on comes back once its worker is done, as
 * in client-go's work queue.
 */
final class WorkQueue {

    private final ArrayDeque<TaskSetKey> queue = new ArrayDeque<>();
    private final Set<TaskSetKey> dirty = new HashSet<>();
    private final Set<TaskSetKey> processing = new HashSet<>();
    private boolean closed;

    synchronized void add(TaskSetKey key) {
        if (closed || !dirty.add(key)) {
            return;
        }
        if (!processing.contains(key)) {
            queue.add(key);
            notify();
        }
    }

    /** The next key to work on, or null once the queue is closed. */
    synchronized TaskSetKey take() throws InterruptedException {
        while (queue.isEmpty() && !closed) {
            wait();
        }
        if (closed) {
            return null;
        }
        TaskSetKey key = queue.poll();
        dirty.remove(key);
        processing.add(key);
        return key;
    }

    synchronized void done(TaskSetKey key) {
        processing.remove(key);
        if (dirty.contains(key) && !closed) {
            queue.add(key);
            notify();
        }
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
