package dev.queuebench.worker;

import java.util.concurrent.ThreadFactory;

/**
 * Makes the worker's threads: its handler loops, the acknowledgement flusher, the heartbeat and each loop's thread of
 * round trips ahead. By default platform daemon threads named {@code queuebench-worker-*} (handler loops on virtual
 * threads when asked, round trips ahead always on virtual ones); with an application's {@link ThreadFactory}, every
 * one of them comes from it, e.g. to account for their CPU time.
 */
final class WorkerThreads {
    private final ThreadFactory factory;
    private final boolean virtualLoops;

    WorkerThreads(ThreadFactory factory, boolean virtualLoops) {
        this.factory = factory;
        this.virtualLoops = virtualLoops;
    }

    /** Starts the thread of handler loop {@code index}. */
    Thread startLoop(int index, Runnable loop) {
        if (factory != null) {
            return start(loop);
        }
        Thread.Builder builder = virtualLoops ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true);
        return builder.name("queuebench-worker-" + index).start(loop);
    }

    /** Starts a helper thread of the worker, {@code role} naming it by default ({@code acks}, {@code heartbeat}). */
    Thread startHelper(String role, Runnable work) {
        if (factory != null) {
            return start(work);
        }
        return Thread.ofPlatform().name("queuebench-worker-" + role).daemon(true).start(work);
    }

    /**
     * Makes (does not start) the thread that runs a loop's round trips ahead, e.g. its claims ahead: a virtual one
     * named {@code queuebench-worker-<name>} by default.
     */
    Thread newTaskThread(String name, Runnable work) {
        if (factory != null) {
            Thread thread = factory.newThread(work);
            if (thread == null) {
                throw new IllegalStateException("the worker's threadFactory returned no thread");
            }
            return thread;
        }
        return Thread.ofVirtual().name("queuebench-worker-" + name).unstarted(work);
    }

    private Thread start(Runnable work) {
        Thread thread = factory.newThread(work);
        if (thread == null) {
            throw new IllegalStateException("the worker's threadFactory returned no thread");
        }
        thread.start();
        return thread;
    }
}
