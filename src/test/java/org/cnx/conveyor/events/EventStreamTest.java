package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Events;
import org.cnx.conveyor.support.SseClient;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EventStreamTest {

    @TestHTTPResource("/api/events/stream")
    URL stream;

    @Test
    void resumingWithLastEventIdYieldsEachEventExactlyOnce() throws Exception {
        long start = Events.publish("streaming", "streaming.marker", Map.of("n", -1));
        List<Long> published = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            published.add(Events.publish("streaming", "streaming.tick", Map.of("n", i)));
        }
        String url = stream + "?type=streaming.tick";

        // A first connection from the marker reads two events, then drops.
        List<SseClient.Event> first = SseClient.read(url + "&after=" + start, "admin", Api.ADMIN_PASSWORD, null, 2);
        // The client reconnects with the last id it saw, and stays while more events are published.
        String lastSeen = first.get(first.size() - 1).id();
        CompletableFuture<List<SseClient.Event>> second = CompletableFuture.supplyAsync(() -> {
            try {
                return SseClient.read(url, "admin", Api.ADMIN_PASSWORD, lastSeen, 7);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 6; i < 9; i++) {
            published.add(Events.publish("streaming", "streaming.tick", Map.of("n", i)));
        }
        List<SseClient.Event> rest = second.get(60, TimeUnit.SECONDS);

        List<SseClient.Event> all = new ArrayList<>(first);
        all.addAll(rest);
        assertThat(all)
                .extracting(SseClient.Event::id)
                .containsExactlyElementsOf(
                        published.stream().map(String::valueOf).toList());
        assertThat(all)
                .extracting(e -> JsonPath.from(e.data()).getInt("data.n"))
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(all).extracting(SseClient.Event::name).containsOnly("event");
    }

    @Test
    void theStreamFiltersByEnvironment() throws Exception {
        long start = Events.publish("streaming", "streaming.marker", Map.of());
        Events.publish("streaming", "streaming.env", "staging", Map.of("n", 1));
        long wanted = Events.publish("streaming", "streaming.env", "production", Map.of("n", 2));
        List<SseClient.Event> events = SseClient.read(
                stream + "?type=streaming.*&environment=production&after=" + start,
                "admin",
                Api.ADMIN_PASSWORD,
                null,
                1);
        assertThat(events).extracting(SseClient.Event::id).containsExactly(String.valueOf(wanted));
    }
}
