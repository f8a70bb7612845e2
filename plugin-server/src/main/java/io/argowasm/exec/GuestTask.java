package io.argowasm.exec;

import java.util.concurrent.Executor;

/** Work on a guest thread that can be interrupted while, and only while, it runs. */
final class GuestTask {

    private Thread runner;
    private boolean finished;

    private GuestTask() {}

    static GuestTask start(Executor threads, Runnable work) {
        GuestTask task = new GuestTask();
        threads.execute(
                () -> {
                    task.begin();
                    try {
                        work.run();
                    } finally {
                        task.finish();
                    }
                });
        return task;
    }

    /** Interrupts the guest thread if the work is still running. */
    synchronized void interrupt() {
        if (runner != null && !finished) {
            runner.interrupt();
        }
    }

    private synchronized void begin() {
        runner = Thread.currentThread();
    }

    private synchronized void finish() {
        finished = true;
        Thread.interrupted();
    }
}
