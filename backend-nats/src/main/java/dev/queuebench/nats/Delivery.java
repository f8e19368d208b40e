package dev.queuebench.nats;

import io.nats.client.Message;

/**
 * One delivery of a job message by a pull consumer. Its reply subject ({@code $JS.ACK...}) names this delivery and
 * is where acks, naks and progress go; it carries the stream, the consumer, the stream sequence and the server's
 * delivery count. {@code requestedAt} ({@link System#nanoTime}) is when the pull that received it was sent: the
 * server's AckWait for it started no earlier.
 */
record Delivery(Message message, String ackSubject, String stream, String consumer, long streamSequence,
        int deliveredCount, long requestedAt) {

    /** Reads the metadata of the reply subject, in the v1 form (9 tokens) and the v2 form (11 or 12 tokens). */
    static Delivery of(Message message, long requestedAt) {
        String reply = message.getReplyTo();
        String[] tokens = reply == null ? new String[0] : reply.split("\\.");
        int offset = switch (tokens.length) {
            case 9 -> 0;
            case 11, 12 -> 2;
            default -> throw new IllegalStateException("not a JetStream delivery: reply subject '" + reply + "'");
        };
        return new Delivery(message, reply, tokens[2 + offset], tokens[3 + offset], Long.parseLong(tokens[5 + offset]),
                Integer.parseInt(tokens[4 + offset]), requestedAt);
    }

    /** This delivery with the server's count taken as {@code count} (the counts it never sent left out). */
    Delivery counted(int count) {
        return count == deliveredCount ? this
                : new Delivery(message, ackSubject, stream, consumer, streamSequence, count, requestedAt);
    }

    /** The job this delivery carries; a job's first message is named by its stream sequence. */
    JobHeaders job() {
        return JobHeaders.read(message.getHeaders(), Long.toString(streamSequence));
    }

    /** The attempt this delivery is: attempts used by earlier copies plus the server's count. */
    int attempt() {
        return job().attemptsBefore() + deliveredCount;
    }
}
