package dev.queuebench.rabbitmq;

import com.rabbitmq.client.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One AMQP channel in confirm mode with the lock that serialises its use: claims (basic.get), acks and publishes
 * with their confirms go through it, and the leases claimed on it are settled on it, as delivery tags belong to one
 * channel. A closed channel is replaced by a new lane; the leases of the old one are lost (the broker requeued them).
 */
final class Lane {
    final Channel channel;
    final ReentrantLock lock = new ReentrantLock();
    /** Message ids the broker returned as unroutable (mandatory publish to a queue that is gone). */
    final Set<String> returned = ConcurrentHashMap.newKeySet();

    Lane(Channel channel) {
        this.channel = channel;
        channel.addReturnListener(r -> {
            if (r.getProperties().getMessageId() != null) {
                returned.add(r.getProperties().getMessageId());
            }
        });
    }

    /** True while the channel is open: its delivery tags still name deliveries the broker holds for it. */
    boolean isOpen() {
        return channel.isOpen();
    }
}
