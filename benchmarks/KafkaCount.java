import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts records of type bench.tick on a topic until N arrived; prints the time between the first and the last,
 * i.e. the rate at which the relay delivered its backlog. Run with the broker's classpath:
 * java -cp "$(cat target/kafka-broker.classpath)" benchmarks/KafkaCount.java BOOTSTRAP TOPIC N [TIMEOUT_S]
 */
public class KafkaCount {
    public static void main(String[] args) {
        Properties p = new Properties();
        p.put("bootstrap.servers", args[0]);
        p.put("group.id", "bench-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        int wanted = Integer.parseInt(args[2]);
        int count = 0;
        long first = 0, last = 0, deadline = System.currentTimeMillis() + 1000L * (args.length > 3 ? Long.parseLong(args[3]) : 600);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(args[1]));
            while (count < wanted && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value().contains("\"bench.tick\"")) {
                        long now = System.currentTimeMillis();
                        if (count == 0) {
                            first = now;
                        }
                        last = now;
                        count++;
                    }
                }
            }
        }
        double seconds = (last - first) / 1000.0;
        System.out.printf("kafka: %d records of bench.tick consumed; first to last %.2f s: %.0f events/s%n",
                count, seconds, seconds > 0 ? (count - 1) / seconds : 0);
    }
}
