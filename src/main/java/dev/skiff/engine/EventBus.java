package dev.skiff.engine;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's event stream: publishers call {@link #publish}; {@code docker events} subscribes, first getting
 * the replay of the last {@value #RING} events in its time window, then live ones with no gap between.
 */
public final class EventBus {
    static final int RING = 1000;

    private final ArrayDeque<Event> ring = new ArrayDeque<>(RING);
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    /** Calls {@code listener} with every event after it is published; it must return quickly (hand work off). */
    public void addListener(java.util.function.Consumer<Event> listener) {
        listeners.add(listener);
    }

    /** Publishes an event about {@code actorId}; attributes keep their insertion order. */
    public Event publish(String type, String action, String actorId, Map<String, String> attributes) {
        Instant now = Instant.now();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        Map<String, String> attrs = new LinkedHashMap<>(attributes);
        boolean legacy = type.equals("container") || type.equals("image");
        Event e = new Event(legacy ? action : null, legacy ? actorId : null,
                type.equals("container") ? attrs.get("image") : null,
                type, action, new Event.Actor(actorId, attrs), "local", now.getEpochSecond(), nanos);
        synchronized (ring) {
            if (ring.size() == RING) {
                ring.removeFirst();
            }
            ring.addLast(e);
            for (Subscription s : subscribers) {
                s.offer(e);
            }
        }
        for (java.util.function.Consumer<Event> l : listeners) {
            l.accept(e);
        }
        return e;
    }

    /** A container event with Docker's attributes: name, image, and the container's labels. */
    public Event publishContainer(Container c, String action, Map<String, String> extra) {
        Map<String, String> attrs = new LinkedHashMap<>(c.labels());
        attrs.putAll(extra);
        attrs.put("image", c.imageName());
        attrs.put("name", c.shortName());
        return publish("container", action, c.id(), attrs);
    }

    /**
     * Subscribes for events matching {@code filter}: the replay covers [since, until] from the ring; with a
     * null {@code since} and a null {@code until} nothing is replayed (Docker streams only new events then).
     */
    public Subscription subscribe(Instant since, Instant until, EventFilter filter) {
        Subscription s = new Subscription(filter, until);
        synchronized (ring) {
            if (since != null || until != null) {
                for (Event e : ring) {
                    Instant t = Instant.ofEpochSecond(0, e.timeNano());
                    if ((since == null || !t.isBefore(since)) && (until == null || !t.isAfter(until))) {
                        s.offer(e);
                    }
                }
            }
            if (until == null || until.isAfter(Instant.now())) {
                subscribers.add(s);
            }
        }
        return s;
    }

    /** Events received so far, for tests and diagnostics. */
    public List<Event> recent() {
        synchronized (ring) {
            return new ArrayList<>(ring);
        }
    }

    /** One subscriber's queue; close it to stop receiving. */
    public final class Subscription implements AutoCloseable {
        private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>(10_000);
        private final EventFilter filter;
        private final Instant until;

        private Subscription(EventFilter filter, Instant until) {
            this.filter = filter;
            this.until = until;
        }

        private void offer(Event e) {
            if (until != null && e.timeNano() > until.getEpochSecond() * 1_000_000_000L + until.getNano()) {
                return;
            }
            if (filter.matches(e)) {
                queue.offer(e); // a subscriber 10000 events behind loses events rather than stalling the daemon
            }
        }

        /** The next event, or null after {@code timeoutMillis}. */
        public Event poll(long timeoutMillis) throws InterruptedException {
            return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        /** The time after which the subscription ends, or null when open-ended. */
        public Instant until() {
            return until;
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }
}
