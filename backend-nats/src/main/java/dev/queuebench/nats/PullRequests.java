package dev.queuebench.nats;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Pull requests on a durable consumer, sent by hand ({@code $JS.API.CONSUMER.MSG.NEXT}) so that a wait may be as
 * short as the contract asks (the client's simplified API wants at least 1 s). A request is read until its batch is
 * full or the server's end-of-request status arrives (404 no messages, 408 expired, 409 conflict), or until a short
 * grace past its expiry: nats-server 2.9 sometimes leaves a request unanswered. Each request has its own reply
 * subscription on one dispatcher, kept after the request was given up on until the server ends it, so a message the
 * server still sends to it is not lost: it waits, as a late delivery, for the next pull of the same consumer (while
 * the server surely still holds it for this backend), instead of counting as an attempt nobody saw.
 *
 * <p>nats-server 2.9 (fixed in 2.10 by nats-server#5305 and #5338) may count a redelivery it never sends: when its
 * delivery loop takes a nak'd or expired message off the redelivery queue while the only pull requests waiting have
 * just expired, it raises the message's delivered count, drops those requests without an answer, and sends nothing;
 * it also steps its next stream sequence back by one, so the message before it may be sent again with count 1. The
 * message then comes back either as that copy at a count already handed out, or, AckWait later, with a count one
 * too high. So a message this backend gave back (nak) is counted here: a copy at or below its last count, once its
 * retry is due, stands for the redelivery the server counted but never sent; a count more than one above, when one
 * of this consumer's pulls went unanswered since, skips the counts never sent. With several backends on one
 * consumer another one may have had the skipped count, rarely: then the job gets one attempt more.
 */
final class PullRequests {
    /** How long past its expiry a request is read for the server's end-of-request status. */
    private static final Duration GRACE = Duration.ofMillis(200);
    /**
     * How long a no-wait request may stay with the server. Observed on nats-server 2.9: a {@code no_wait} request
     * without {@code expires}, sent while other pulls race for the last messages, sometimes gets no answer at all
     * (neither a message nor 404), so it is sent with an expiry too and then ends with 408 at worst. Kept short:
     * with an expiry the request may also wait that long for a message.
     */
    private static final Duration NO_WAIT_EXPIRES = Duration.ofMillis(20);
    private static final Duration LOOK_AT_CLOSE = Duration.ofMillis(100);
    private static final int SEEN = 4096;

    private final Connection connection;
    private final BooleanSupplier closed;
    /** How long after its request a late delivery may still be handed out (the server holds it for AckWait). */
    private final long lateFor;
    private final Dispatcher dispatcher;
    /** Deliveries that reached a request after it was given up on, by stream and consumer. */
    private final Map<String, ConcurrentLinkedQueue<Delivery>> late = new ConcurrentHashMap<>();
    /**
     * Per stream message (of the last {@code SEEN}): the highest server count handed out, and how many counts the
     * server made without sending them. A copy at or below that count is stale and dropped, unless it stands for a
     * redelivery the server never sent (see above).
     */
    private final Map<String, Count> seen = lastSeen();
    /** The messages whose last delivery handed out was given back (nak'd), by stream message. */
    private final Map<String, GivenBack> givenBack = lastSeen();
    /** When a pull of a stream and consumer last went unanswered (the server dropped it), by stream and consumer. */
    private final Map<String, Long> unanswered = new ConcurrentHashMap<>();

    /** The server's count last handed out for a message, and the counts it made without sending them. */
    private record Count(int server, int unsent) {
    }

    /** A delivery given back: when, and when its retry is due ({@link System#nanoTime}). */
    private record GivenBack(long at, long due) {
    }

    /** One pull request: its messages while a pull reads it, late deliveries once it was given up on. */
    private final class Request {
        final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
        final long sentAt = System.nanoTime();
        private boolean givenUp;
        private Subscription subscription;

        /** Keeps a message for the pull, or as late when the pull gave up; a status ends the request. */
        synchronized void receive(Message message) {
            if (!givenUp) {
                messages.add(message);
            } else if (message.isStatusMessage()) {
                if (message.getStatus().getCode() != 100) {
                    dispatcher.unsubscribe(subscription);
                }
            } else {
                keepLate(Delivery.of(message, sentAt));
            }
        }

        /** Ends reading: what arrived so far is returned; later messages are late deliveries. */
        synchronized List<Message> giveUp(boolean ended) {
            givenUp = true;
            List<Message> rest = new ArrayList<>();
            messages.drainTo(rest);
            if (ended || rest.stream().anyMatch(m -> m.isStatusMessage() && m.getStatus().getCode() != 100)) {
                dispatcher.unsubscribe(subscription);
            }
            return rest;
        }
    }

    PullRequests(Connection connection, BooleanSupplier closed, Duration lateFor) {
        this.connection = connection;
        this.closed = closed;
        this.lateFor = lateFor.toNanos();
        this.dispatcher = connection.createDispatcher();
    }

    /**
     * Up to {@code batch} deliveries of {@code consumer} on {@code stream}: late deliveries first, else what is there
     * now when {@code wait} is zero, else waiting up to {@code wait} for the first. Returns early, dropping nothing it
     * read, when the backend closes.
     */
    List<Delivery> pull(String stream, String consumer, int batch, Duration wait) {
        List<Delivery> deliveries = lateDeliveries(stream, consumer, batch);
        if (!deliveries.isEmpty()) {
            return deliveries;
        }
        Request request = new Request();
        boolean ended = false;
        boolean answered = false;
        try {
            String reply = connection.createInbox();
            synchronized (request) {
                request.subscription = dispatcher.subscribe(reply, request::receive);
            }
            Duration expires = wait.isZero() ? NO_WAIT_EXPIRES : wait;
            String body = "{\"batch\":" + batch + ",\"expires\":" + expires.toNanos()
                    + (wait.isZero() ? ",\"no_wait\":true}" : "}");
            connection.publish("$JS.API.CONSUMER.MSG.NEXT." + stream + "." + consumer, reply,
                    body.getBytes(StandardCharsets.US_ASCII));
            long giveUp = request.sentAt + expires.plus(GRACE).toNanos();
            while (deliveries.size() < batch && !closed.getAsBoolean()) {
                long left = giveUp - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Message message = request.messages.poll(Math.min(left, LOOK_AT_CLOSE.toNanos()), TimeUnit.NANOSECONDS);
                if (message == null) {
                    continue;
                }
                if (message.isStatusMessage()) {
                    if (message.getStatus().getCode() == 100) {
                        continue; // idle heartbeat
                    }
                    answered = true;
                    ended = true;
                    break; // the request ended: no messages, expired, or a conflict such as too many waiting pulls
                }
                answered = true;
                Delivery delivery = accept(Delivery.of(message, request.sentAt));
                if (delivery != null) {
                    deliveries.add(delivery);
                }
            }
            ended |= deliveries.size() == batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            if (!closed.getAsBoolean()) {
                throw e;
            }
            // the backend closed the connection under this pull
        }
        if (closed.getAsBoolean()) {
            return deliveries;
        }
        // what arrived before the request was given up on is this pull's; what comes later is kept as late
        List<Message> rest = request.giveUp(ended);
        if (!answered && rest.isEmpty()) {
            unanswered.put(stream + "." + consumer, System.nanoTime());
        }
        for (Message message : rest) {
            if (message.isStatusMessage()) {
                continue;
            }
            Delivery delivery = Delivery.of(message, request.sentAt);
            if (deliveries.size() < batch) {
                delivery = accept(delivery);
                if (delivery != null) {
                    deliveries.add(delivery);
                }
            } else {
                keepLate(delivery);
            }
        }
        return deliveries;
    }

    /**
     * Notes that this backend gave back (nak'd) a delivery it had handed out, its retry due after {@code delay}; call
     * before sending the nak.
     */
    void gaveBack(Delivery delivery, Duration delay) {
        long now = System.nanoTime();
        givenBack.put(key(delivery), new GivenBack(now, now + delay.toNanos()));
    }

    /**
     * The delivery as handed out, its count less the counts the server made without sending them, and noted so that
     * older copies are known stale; null when it is a stale copy.
     */
    private Delivery accept(Delivery delivery) {
        String key = key(delivery);
        synchronized (seen) {
            Count last = seen.get(key);
            GivenBack back = givenBack.get(key);
            int server = delivery.deliveredCount();
            int unsent = last == null ? 0 : last.unsent();
            if (last != null && server <= last.server()) {
                if (back == null || System.nanoTime() - back.due() < 0) {
                    return null; // stale: an older copy of a delivery handed out, or of one whose retry is not due
                }
                server = last.server() + 1; // the server's resend of the redelivery it counted but never sent
            } else if (last != null && back != null && server > last.server() + 1
                    && unansweredSince(delivery, back.at())) {
                unsent += server - last.server() - 1; // counts the server made when it dropped this consumer's pulls
            }
            seen.put(key, new Count(server, unsent));
            givenBack.remove(key);
            return delivery.counted(server - unsent);
        }
    }

    private boolean stale(Delivery delivery) {
        synchronized (seen) {
            Count last = seen.get(key(delivery));
            return last != null && last.server() >= delivery.deliveredCount() && !givenBack.containsKey(key(delivery));
        }
    }

    private boolean unansweredSince(Delivery delivery, long since) {
        Long at = unanswered.get(delivery.stream() + "." + delivery.consumer());
        return at != null && at - since > 0;
    }

    private static <V> Map<String, V> lastSeen() {
        return Collections.synchronizedMap(new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > SEEN;
            }
        });
    }

    private static String key(Delivery delivery) {
        return delivery.stream() + "." + delivery.consumer() + "." + delivery.streamSequence();
    }

    /** Keeps a delivery for the next pull of its consumer, unless it is a stale copy. */
    private void keepLate(Delivery delivery) {
        if (stale(delivery)) {
            return;
        }
        late.computeIfAbsent(delivery.stream() + "." + delivery.consumer(), key -> new ConcurrentLinkedQueue<>())
                .add(delivery);
    }

    /** Up to {@code batch} late deliveries the server still holds for this backend; older ones are left to it. */
    private List<Delivery> lateDeliveries(String stream, String consumer, int batch) {
        List<Delivery> taken = new ArrayList<>();
        ConcurrentLinkedQueue<Delivery> waiting = late.get(stream + "." + consumer);
        if (waiting == null) {
            return taken;
        }
        long now = System.nanoTime();
        Delivery delivery;
        while (taken.size() < batch && (delivery = waiting.poll()) != null) {
            Delivery accepted = now - delivery.requestedAt() < lateFor ? accept(delivery) : null;
            if (accepted != null) {
                taken.add(accepted);
            }
        }
        return taken;
    }
}
