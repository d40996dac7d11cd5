package org.cnx.conveyor.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Events: the outbox, webhook deliveries, the stream and the Kafka relay ({@code conveyor.events.*}). */
@ConfigMapping(prefix = "conveyor.events")
public interface EventsConfig {

    /** The CloudEvents {@code source} of Conveyor's own events. */
    @WithDefault("/conveyor")
    String source();

    /** Largest service event accepted by {@code POST /api/events}, in bytes. */
    @WithDefault("65536")
    int maxSize();

    /** Most events in one batch of {@code POST /api/events/batch}. */
    @WithDefault("1000")
    int maxBatch();

    /** How long events stay in the outbox (for the stream's resume and redelivery) once every consumer took them. */
    @WithDefault("7d")
    Duration retention();

    /** How often events past their retention are looked for. */
    @WithDefault("10m")
    Duration sweepInterval();

    /** How often other instances' events are looked for (events of this instance wake consumers at once). */
    @WithDefault("500ms")
    Duration poll();

    Webhooks webhooks();

    Kafka kafka();

    /** Webhook deliveries ({@code conveyor.events.webhooks.*}). */
    interface Webhooks {

        /** How many subscriptions this instance delivers to at once; each is served by one thread at a time. */
        @WithDefault("16")
        int concurrency();

        /** Time allowed to connect to a subscriber. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Time allowed for a subscriber's whole answer; a slower one counts as a failed attempt. */
        @WithDefault("10s")
        Duration timeout();

        /** How long a delivery is retried, from its first attempt, before it is dead-lettered. */
        @WithDefault("24h")
        Duration retryPeriod();

        /** Wait before the first retry; each further retry waits twice as long, up to {@link #maxBackoff()}. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Longest wait between two attempts. */
        @WithDefault("1h")
        Duration maxBackoff();

        /**
         * Webhook requests sent on a subscription's connection before their answers come back (HTTP/1.1 pipelining);
         * 1 waits for each answer before sending the next event.
         */
        @WithDefault("16")
        int pipelining();

        /** Deliveries made to one subscription before its thread is handed to another one. */
        @WithDefault("500")
        int batch();

        /**
         * After a run that took every event there was, how long the subscription's thread waits before it asks for
         * more: what is published meanwhile goes out as one run, with one scan and one record, instead of a run of
         * its own per event. At most this much latency is added to an event; 0 asks again at once.
         */
        @WithDefault("25ms")
        Duration linger();

        /** Subscriber hosts exempt from the address rules (loopback, private, link-local…), as written in the URL. */
        Optional<List<String>> allowedHosts();
    }

    /** The Kafka relay ({@code conveyor.events.kafka.*}); off unless bootstrap servers are set. */
    interface Kafka {

        /** Comma-separated {@code host:port} list; when unset, nothing is sent to Kafka. */
        Optional<String> bootstrapServers();

        /** The topic every event goes to. */
        @WithDefault("conveyor.events")
        String topic();

        /** Events sent per batch; the relay's position moves only once the whole batch is acknowledged. */
        @WithDefault("500")
        int batch();

        /** Wait before trying again after the broker could not be reached. */
        @WithDefault("2s")
        Duration retryInterval();

        /** Further producer properties (e.g. {@code security.protocol}), passed to the Kafka client as they are. */
        Map<String, String> producer();
    }
}
