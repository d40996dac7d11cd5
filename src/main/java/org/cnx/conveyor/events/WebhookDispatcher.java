package org.cnx.conveyor.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    // A run's database work (a scan, then one record) is shared by its deliveries: long runs make it cheap per event.
    private static final int PREFETCH = 100;

    private final EventsConfig config;
    private final DeliveryQueue queue;
    private final WebhookSender sender;
    private final PipelinedSender pipelined;
    private final EventSignals signals;
    private final Instance<ChatRenderer> chat;
    private final String owner = "webhooks-" + UUID.randomUUID();
    private final Set<Long> serving = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(Daemons.named("webhook-dispatcher"));
    private volatile boolean running;

    WebhookDispatcher(
            EventsConfig config,
            DeliveryQueue queue,
            WebhookSender sender,
            PipelinedSender pipelined,
            EventSignals signals,
            Instance<ChatRenderer> chat) {
        this.config = config;
        this.chat = chat;
        this.queue = queue;
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

    private void serve(long subscriptionId) {
        try {
            int sent = 0;
            while (sent < config.webhooks().batch() && running) {
                DeliveryQueue.Run run = queue.next(
                        subscriptionId,
                        owner,
                        Math.min(PREFETCH, config.webhooks().batch() - sent));
                if (run.isEmpty()) {
                    break;
                }
                if (!deliver(subscriptionId, run)) {
                    break;
                }
                sent += run.deliveries().size();
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
     * Attempts a run's deliveries in order — a webhook run pipelined over the subscription's keep-alive connection,
     * a chat channel's one after the other — without waiting for the database: the outcomes are recorded together
     * once the run ends (at the first failure, or after the last). A crash before the record re-sends at most this
     * run (at least once). False when the run stopped early.
     */
    private boolean deliver(long subscriptionId, DeliveryQueue.Run run) {
        List<DeliveryQueue.Next> deliveries = run.deliveries();
        List<WebhookSender.Outcome> sent = deliveries.get(0).kind() == Subscription.Kind.WEBHOOK
                ? pipelined.send(subscriptionId, deliveries)
                : null;
        List<DeliveryQueue.Attempt> attempts = new ArrayList<>(deliveries.size());
        boolean all = true;
        for (int i = 0; i < deliveries.size(); i++) {
            DeliveryQueue.Next delivery = deliveries.get(i);
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
    private WebhookSender.Outcome chat(DeliveryQueue.Next delivery) {
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
