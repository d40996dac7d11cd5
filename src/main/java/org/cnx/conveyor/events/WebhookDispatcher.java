package org.cnx.conveyor.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.cnx.conveyor.common.Daemons;
import org.jboss.logging.Logger;

/**
 * Delivers webhooks: one thread leases subscriptions that have work and hands each to a pool thread, which makes
 * that subscription's deliveries one after the other, in order. A slow or dead subscriber holds only its own
 * thread; the others go on.
 */
@ApplicationScoped
class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    // A run's database work (a scan, then one record) is shared by its deliveries: long runs make it cheap per event
    // and keep the subscription's pipeline full. A run is sized from how fast the subscriber took the last one, to
    // last about RUN_NANOS: a fast subscriber gets up to MAX_RUN events per run, a slow one fewer, so a run stays well
    // inside the lease (renewed when a run is recorded) and a crash re-sends little.
    private static final int FIRST_RUN = 100;
    private static final int MIN_RUN = 10;
    private static final int MAX_RUN = 500;
    private static final long RUN_NANOS = 5_000_000_000L;
    // What is kept per subscription (its run size here, its opened secret in SubscriptionSecrets) goes at most this
    // long after the subscription was deleted.
    private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final EventsConfig config;
    private final DeliveryQueue queue;
    private final SubscriptionSecrets secrets;
    private final WebhookSender sender;
    private final PipelinedSender pipelined;
    private final EventSignals signals;
    private final Instance<ChatRenderer> chat;
    private final String owner = "webhooks-" + UUID.randomUUID();
    private final Set<Long> serving = ConcurrentHashMap.newKeySet();
    private final Map<Long, Integer> runSizes = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(Daemons.named("webhook-dispatcher"));
    private volatile boolean running;
    private long forgotAt = System.nanoTime();

    WebhookDispatcher(
            EventsConfig config,
            DeliveryQueue queue,
            SubscriptionSecrets secrets,
            WebhookSender sender,
            PipelinedSender pipelined,
            EventSignals signals,
            Instance<ChatRenderer> chat) {
        this.config = config;
        this.chat = chat;
        this.queue = queue;
        this.secrets = secrets;
        this.sender = sender;
        this.pipelined = pipelined;
        this.signals = signals;
        this.workers = Executors.newFixedThreadPool(config.webhooks().concurrency(), Daemons.named("webhook-delivery"));
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        loop.submit(this::dispatch);
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        loop.shutdownNow();
        workers.shutdownNow();
    }

    private void dispatch() {
        while (running) {
            long version = signals.version();
            try {
                List<Long> claimed = queue.claim(owner, config.webhooks().concurrency() - serving.size());
                for (Long id : claimed) {
                    serving.add(id);
                    workers.submit(() -> serve(id));
                }
                forgetDeletedSubscriptions();
            } catch (RuntimeException e) {
                LOG.warn("Cannot look for webhook deliveries; will retry", e);
            }
            try {
                signals.await(version, config.poll().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Every ten minutes, on this dispatcher's thread: drops the run sizes and secrets of deleted subscriptions. */
    private void forgetDeletedSubscriptions() {
        if (System.nanoTime() - forgotAt < FORGET_NANOS) {
            return;
        }
        forgotAt = System.nanoTime();
        runSizes.keySet().retainAll(secrets.forgetDeleted());
    }

    private void serve(long subscriptionId) {
        try {
            int sent = 0;
            while (sent < config.webhooks().batch() && running) {
                int asked = Math.min(
                        runSizes.getOrDefault(subscriptionId, FIRST_RUN),
                        config.webhooks().batch() - sent);
                long published = signals.version();
                DeliveryQueue.Run run = queue.next(subscriptionId, owner, asked);
                if (run.isEmpty()) {
                    break;
                }
                long started = System.nanoTime();
                if (!deliver(subscriptionId, run)) {
                    break;
                }
                runSizes.put(subscriptionId, nextRunSize(run.deliveries().size(), System.nanoTime() - started));
                sent += run.deliveries().size();
                if (run.deliveries().size() < asked && !publishedAfterLinger(published)) {
                    // A short run took all there was, and nothing was published (nor did anything else signal)
                    // since: asking again would find nothing. What comes later wakes the dispatcher, which claims the
                    // subscription again once it is released.
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Webhook deliveries of subscription %d failed; will retry", subscriptionId);
        } finally {
            try {
                queue.release(subscriptionId, owner);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Cannot release subscription %d; its lease will run out", subscriptionId);
            }
            serving.remove(subscriptionId);
            // Wakes the dispatcher: this subscription may have more work, and this thread is free again.
            signals.bump();
        }
    }

    /**
     * After a short run: waits the linger, so that events published meanwhile make one run rather than one each
     * (at a steady trickle a run would otherwise carry a single event, with a scan and a record of its own), then
     * tells whether anything was published since the run was taken.
     */
    private boolean publishedAfterLinger(long published) {
        long linger = config.webhooks().linger().toNanos();
        if (linger > 0) {
            // Returns early when the pool is shut down (interrupted); running is false then.
            LockSupport.parkNanos(linger);
        }
        return running && signals.version() != published;
    }

    /** How many deliveries the next run takes, after {@code size} took {@code nanos}: about RUN_NANOS' worth. */
    static int nextRunSize(int size, long nanos) {
        long perDelivery = Math.max(1, nanos / Math.max(1, size));
        return (int) Math.max(MIN_RUN, Math.min(MAX_RUN, RUN_NANOS / perDelivery));
    }

    /**
     * Attempts a run's deliveries in order — a webhook run pipelined over the subscription's keep-alive connection,
     * a chat channel's one after the other — without waiting for the database: the outcomes are recorded together
     * once the run ends (at the first failure, or after the last). A crash before the record re-sends at most this
     * run (at least once). False when the run stopped early.
     */
    private boolean deliver(long subscriptionId, DeliveryQueue.Run run) {
        List<NextDelivery> deliveries = run.deliveries();
        List<WebhookSender.Outcome> sent = deliveries.get(0).kind() == Subscription.Kind.WEBHOOK
                ? pipelined.send(subscriptionId, deliveries)
                : null;
        List<DeliveryQueue.Attempt> attempts = new ArrayList<>(deliveries.size());
        boolean all = true;
        for (int i = 0; i < deliveries.size(); i++) {
            NextDelivery delivery = deliveries.get(i);
            WebhookSender.Outcome outcome = sent != null ? sent.get(i) : chat(delivery);
            if (!running && !outcome.delivered()) {
                // Cut off by shutdown: not the subscriber's failure. It stays pending and is sent again after the
                // restart or by another instance (at least once).
                all = false;
                break;
            }
            attempts.add(new DeliveryQueue.Attempt(delivery, outcome));
            if (!outcome.delivered() || (!running && sent == null)) {
                all = false;
                break;
            }
        }
        queue.record(subscriptionId, run, attempts, owner);
        return all && running;
    }

    /** A chat channel's delivery: the event rendered as its message, sent like a webhook. */
    private WebhookSender.Outcome chat(NextDelivery delivery) {
        ChatRenderer.ChatRequest request;
        try {
            request = chat.get().render(delivery.channel(), Long.toString(delivery.deliveryId()), delivery.body());
        } catch (RuntimeException e) {
            // Counted as a failed attempt: retried, then dead-lettered where an admin sees why.
            return new WebhookSender.Outcome(
                    Instant.now(), null, null, 0, "cannot write the message: " + e.getMessage());
        }
        return sender.send(request);
    }
}
