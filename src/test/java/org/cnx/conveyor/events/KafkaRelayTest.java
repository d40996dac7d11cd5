package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cnx.conveyor.support.Events;
import org.cnx.conveyor.support.KafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Uses the broker every test run starts (support/KafkaBroker), which Conveyor relays to. */
@QuarkusTest
class KafkaRelayTest {

    static final String TOPIC = KafkaBroker.TOPIC;

    private KafkaConsumer<String, String> consumer;
    /** Event id → record, across polls. */
    private final Map<String, ConsumerRecord<String, String>> received = new LinkedHashMap<>();

    @BeforeEach
    void subscribe() {
        Properties properties = new Properties();
        properties.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.current().bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(properties);
        consumer.subscribe(List.of(TOPIC));
    }

    @AfterEach
    void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    @Test
    void aConsumerReceivesEveryEventKeyedByEnvironment() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(eventId(
                    Events.publish("relay", "relay.item.changed", i % 2 == 0 ? "staging" : null, Map.of("n", i))));
        }
        awaitAll(ids);
        assertThat(received.get(ids.get(0)).key()).isEqualTo("staging");
        assertThat(received.get(ids.get(1)).key()).isEqualTo("relay.item.changed");
        assertThat(JsonPath.from(received.get(ids.get(3)).value()).getInt("data.n"))
                .isEqualTo(3);
        assertThat(new String(
                        received.get(ids.get(3)).headers().lastHeader("ce_type").value()))
                .isEqualTo("relay.item.changed");
    }

    @Test
    void nothingIsLostWhenTheBrokerStopsAndComesBack() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(eventId(Events.publish("relay", "relay.before.outage", Map.of("n", i))));
        }
        awaitAll(ids);

        KafkaBroker.current().stopBroker();
        for (int i = 0; i < 10; i++) {
            ids.add(eventId(Events.publish("relay", "relay.during.outage", Map.of("n", i))));
        }
        KafkaBroker.current().startBroker();
        for (int i = 0; i < 5; i++) {
            ids.add(eventId(Events.publish("relay", "relay.after.outage", Map.of("n", i))));
        }
        awaitAll(ids);
        // At least once: a batch cut by the outage may come twice, but every event arrives, and in outbox order.
        List<String> order = received.keySet().stream().filter(ids::contains).toList();
        assertThat(order).containsExactlyElementsOf(ids);
    }

    private void awaitAll(List<String> ids) {
        org.cnx.conveyor.support.Wait.until(ids.size() + " events on Kafka", Duration.ofSeconds(120), () -> {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                received.putIfAbsent(JsonPath.from(record.value()).getString("id"), record);
            }
            return received.keySet().containsAll(ids) ? true : null;
        });
    }

    private static String eventId(long seq) {
        return org.cnx.conveyor.support.Api.asAdmin()
                .get("/api/events/" + seq)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("event.id");
    }
}
