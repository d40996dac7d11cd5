package org.cnx.conveyor.events;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cnx.conveyor.common.Daemons;
import org.jboss.logging.Logger;

/**
 * Copies the outbox to a Kafka topic when {@code conveyor.events.kafka.bootstrap-servers} is set. Its position is a
 * row in the database, moved only after the broker acknowledged a whole batch: a broker outage delays events, and
 * a crash between the acknowledgement and the move sends a batch twice (at least once), but nothing is lost. One
 * instance relays at a time, under a lease.
 */
@ApplicationScoped
class KafkaRelay {

    private static final Logger LOG = Logger.getLogger(KafkaRelay.class);
    private static final String NAME = "kafka";
    private static final Duration LEASE = Duration.ofSeconds(60);

    private final EventsConfig config;
    private final EventsConfig.Kafka kafka;
    private final EventSignals signals;
    private final EntityManager db;
    private final String owner = "kafka-" + UUID.randomUUID();
    private final ExecutorService loop = Executors.newSingleThreadExecutor(Daemons.named("kafka-relay"));
    private volatile boolean running;
    private volatile KafkaProducer<String, String> producer;

    KafkaRelay(EventsConfig config, EventSignals signals, EntityManager db) {
        this.config = config;
        this.kafka = config.kafka();
        this.signals = signals;
        this.db = db;
    }

    void onStart(@Observes StartupEvent event) {
        if (kafka.bootstrapServers().filter(s -> !s.isBlank()).isEmpty()) {
            return;
        }
        running = true;
        producer = new KafkaProducer<>(properties());
        loop.submit(this::relay);
        LOG.infof(
                "Relaying events to Kafka topic %s at %s",
                kafka.topic(), kafka.bootstrapServers().get());
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        loop.shutdownNow();
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void relay() {
        while (running) {
            long version = signals.version();
            boolean more = false;
            try {
                more = relayBatch();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                LOG.warnf("Cannot relay events to Kafka (%s); retrying in %s", rootMessage(e), kafka.retryInterval());
                // Records of the failed batch may still sit in the producer and land after the retried batch,
                // out of order: a fresh producer starts the retry from a clean slate.
                resetProducer();
                if (!pause(kafka.retryInterval().toMillis())) {
                    return;
                }
                continue;
            }
            if (!more) {
                try {
                    signals.await(version, config.poll().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Sends the next batch and moves the position; true when a full batch was sent (there may be more). */
    private boolean relayBatch() throws InterruptedException, ExecutionException, TimeoutException {
        Long cursor = QuarkusTransaction.requiringNew().call(this::lease);
        if (cursor == null) {
            return false;
        }
        List<StoredEvent> batch =
                QuarkusTransaction.requiringNew().call(() -> StoredEvent.after(cursor, kafka.batch()));
        if (batch.isEmpty()) {
            return false;
        }
        List<Future<?>> sent = new ArrayList<>(batch.size());
        for (StoredEvent event : batch) {
            ProducerRecord<String, String> record = new ProducerRecord<>(kafka.topic(), key(event), event.body);
            record.headers().add("ce_id", event.eventId.getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_type", event.type.getBytes(StandardCharsets.UTF_8));
            record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(record));
        }
        producer.flush();
        for (Future<?> future : sent) {
            future.get(60, TimeUnit.SECONDS);
        }
        long last = batch.get(batch.size() - 1).seq;
        QuarkusTransaction.requiringNew()
                .run(() -> db.createNativeQuery(
                                "UPDATE event_relays SET cursor_seq = ?1, updated_at = now() WHERE name = ?2 AND lease_owner = ?3")
                        .setParameter(1, last)
                        .setParameter(2, NAME)
                        .setParameter(3, owner)
                        .executeUpdate());
        return batch.size() == kafka.batch();
    }

    /** Takes or renews the relay's lease; returns its position, or null when another instance holds it. */
    private Long lease() {
        db.createNativeQuery("INSERT INTO event_relays (name, cursor_seq) VALUES (?1, 0) ON CONFLICT (name) DO NOTHING")
                .setParameter(1, NAME)
                .executeUpdate();
        @SuppressWarnings("unchecked")
        List<Number> cursor = db.createNativeQuery("""
                UPDATE event_relays SET lease_owner = ?1, lease_expires_at = now() + make_interval(secs => ?2)
                WHERE name = ?3 AND (lease_owner IS NULL OR lease_owner = ?1 OR lease_expires_at < now())
                RETURNING cursor_seq
                """)
                .setParameter(1, owner)
                .setParameter(2, (double) LEASE.toSeconds())
                .setParameter(3, NAME)
                .getResultList();
        return cursor.isEmpty() ? null : cursor.get(0).longValue();
    }

    private static String key(StoredEvent event) {
        if (event.environment != null) {
            return event.environment;
        }
        return event.subject != null ? event.subject : event.type;
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers().get());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "conveyor-events");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.putAll(kafka.producer());
        return properties;
    }

    private void resetProducer() {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debugf("Closing the failed Kafka producer: %s", e);
        }
        producer = new KafkaProducer<>(properties());
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
