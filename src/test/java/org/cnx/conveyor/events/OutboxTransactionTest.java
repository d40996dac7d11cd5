package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.release.ReleaseViews.NewRelease;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Events;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OutboxTransactionTest {

    @Inject
    ReleaseService releases;

    @Inject
    EventPublisher publisher;

    static long lastSeq() {
        return QuarkusTransaction.requiringNew().call(StoredEvent::lastSeq);
    }

    @Test
    void aChangeWhoseTransactionRollsBackEmitsNoEvent() {
        long before = lastSeq();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    releases.create(
                            new NewRelease(Map.of("archive", new ComponentPin("9.9.9", null)), "never committed", null),
                            "tester");
                    publisher.publish(
                            EventType.PREVIEW_READY, "environments/pr-1", "pr-1", Map.of("environment", "pr-1"));
                    throw new IllegalStateException("the change fails after its events were written");
                }))
                .hasMessageContaining("the change fails");

        assertThat(Events.after(before, "release.*,preview.*").getList("seq")).isEmpty();
        assertThat(Api.asAdmin()
                        .get("/api/releases?limit=5")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("notes"))
                .doesNotContain("never committed");
    }

    @Test
    void aCommittedChangeEmitsExactlyItsEvents() {
        long before = lastSeq();
        long release = Api.asRole("developer")
                .body(Map.of("components", Map.of("archive", Map.of("version", "4.15.24")), "notes", "outbox test"))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");

        JsonPath events = Events.after(before, "release.*");
        List<Map<String, Object>> mine =
                events.getList("findAll { it.event.subject == 'releases/" + release + "' }.event");
        assertThat(mine).hasSize(1);
        Map<String, Object> event = mine.get(0);
        assertThat(event)
                .containsEntry("specversion", "1.0")
                .containsEntry("type", "release.created")
                .containsEntry("source", "/conveyor")
                .containsEntry("datacontenttype", "application/json")
                .containsKeys("id", "time");
        assertThat(events.getString("find { it.event.subject == 'releases/" + release
                        + "' }.event.data.components.archive.version"))
                .isEqualTo("4.15.24");
    }

    @Test
    void eventsOfOneTransactionGetConsecutiveSeqsInTheOrderTheyWereWritten() {
        long before = lastSeq();
        QuarkusTransaction.requiringNew().run(() -> {
            publisher.publish(EventType.MIGRATION_APPLIED, "environments/tx-test", "tx-test", Map.of("n", 1));
            publisher.publish(EventType.MIGRATION_DRIFT_DETECTED, "environments/tx-test", "tx-test", Map.of("n", 2));
        });
        JsonPath events = Api.asAdmin()
                .get("/api/events?after=" + before + "&environment=tx-test")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(events.getList("event.type")).containsExactly("migration.applied", "migration.drift_detected");
        List<Long> seqs = events.getList("seq", Long.class);
        assertThat(seqs.get(1)).isEqualTo(seqs.get(0) + 1);
    }
}
