package dev.queuebench.api;

/** The backend was closed; no operation is possible any more. */
public class BackendClosedException extends QueueException {
    public BackendClosedException(String backend) {
        super("the " + backend + " backend is closed");
    }
}
