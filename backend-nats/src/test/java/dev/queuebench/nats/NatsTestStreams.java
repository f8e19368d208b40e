package dev.queuebench.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;

/** Removes the streams a test made on the shared server, so that runs do not pile them up. */
final class NatsTestStreams {
    private NatsTestStreams() {}

    /** Deletes every stream whose name starts with {@code prefix_}. */
    static void deleteAll(String url, String prefix) {
        try (Connection connection = Nats.connect(url)) {
            JetStreamManagement management = connection.jetStreamManagement();
            for (String stream : management.getStreamNames()) {
                if (stream.startsWith(prefix + "_")) {
                    management.deleteStream(stream);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot remove the test streams '" + prefix + "_*' at " + url, e);
        }
    }
}
