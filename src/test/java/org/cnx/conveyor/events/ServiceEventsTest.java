package org.cnx.conveyor.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Events;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ServiceEventsTest {

    static RequestSpecification asService(String name) {
        return given().auth()
                .oauth2(Events.serviceToken(name))
                .contentType("application/cloudevents+json")
                .accept(ContentType.JSON);
    }

    static Map<String, Object> event(String type) {
        return Map.of(
                "specversion",
                "1.0",
                "id",
                UUID.randomUUID().toString(),
                "source",
                "/cnx/publishing",
                "type",
                type,
                "subject",
                "books/college-physics",
                "data",
                Map.of("book", "college-physics", "version", 12));
    }

    @Test
    void aServiceTokenPublishesInItsOwnNamespaceAndTheEventIsStoredAsSent() {
        Map<String, Object> event = event("publishing.book.published");
        long seq = asService("publishing")
                .body(event)
                .post("/api/events")
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/events/"))
                .body("id", equalTo(event.get("id")))
                .extract()
                .jsonPath()
                .getLong("seq");

        Api.asRole("reviewer")
                .get("/api/events/" + seq)
                .then()
                .statusCode(200)
                .body("event.type", equalTo("publishing.book.published"))
                .body("event.source", equalTo("/cnx/publishing"))
                .body("event.data.version", equalTo(12))
                .body("event.time", containsString("T"));
        // The same source and id again (a retried POST) is stored once.
        asService("publishing")
                .body(event)
                .post("/api/events")
                .then()
                .statusCode(200)
                .body("seq", equalTo((int) seq))
                .body("duplicate", equalTo(true));
    }

    @Test
    void aBatchIsStoredInOneGoInItsOrderAndOneRefusedEventRefusesTheWholeBatchNamingItsIndex() {
        List<Map<String, Object>> batch = List.of(
                event("publishing.book.published"), event("publishing.book.updated"), event("publishing.book.retired"));
        List<Integer> seqs = asService("publishing")
                .contentType("application/cloudevents-batch+json")
                .body(batch)
                .post("/api/events/batch")
                .then()
                .statusCode(200)
                .body("id", equalTo(batch.stream().map(e -> e.get("id")).toList()))
                .body("duplicate", equalTo(List.of(false, false, false)))
                .extract()
                .jsonPath()
                .getList("seq", Integer.class);
        org.assertj.core.api.Assertions.assertThat(seqs).isSorted().doesNotHaveDuplicates();
        Api.asRole("reviewer")
                .get("/api/events/" + seqs.get(2))
                .then()
                .statusCode(200)
                .body("event.type", equalTo("publishing.book.retired"));

        Map<String, Object> stray = event("publishing.book.published");
        asService("publishing")
                .contentType("application/cloudevents-batch+json")
                .body(List.of(stray, event("authoring.book.published")))
                .post("/api/events/batch")
                .then()
                .statusCode(403)
                .body("detail", containsString("[1].type"));
        // The first event of the refused batch was not stored either: posting it alone is not a duplicate.
        asService("publishing").body(stray).post("/api/events").then().statusCode(201);
        asService("publishing")
                .body(Map.of("not", "an array"))
                .post("/api/events/batch")
                .then()
                .statusCode(400);
    }

    @Test
    void aBatchRepeatingAnEarlierEventOrOneOfItsOwnStoresEachOnceAndSaysWhichWereDuplicates() {
        Map<String, Object> earlier = event("publishing.book.published");
        int earlierSeq = asService("publishing")
                .body(earlier)
                .post("/api/events")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getInt("seq");
        Map<String, Object> fresh = event("publishing.book.updated");
        List<Integer> seqs = asService("publishing")
                .contentType("application/cloudevents-batch+json")
                .body(List.of(fresh, earlier, fresh, event("publishing.book.retired")))
                .post("/api/events/batch")
                .then()
                .statusCode(200)
                .body("duplicate", equalTo(List.of(false, true, true, false)))
                .extract()
                .jsonPath()
                .getList("seq", Integer.class);
        org.assertj.core.api.Assertions.assertThat(seqs.get(1)).isEqualTo(earlierSeq);
        org.assertj.core.api.Assertions.assertThat(seqs.get(2)).isEqualTo(seqs.get(0));
        org.assertj.core.api.Assertions.assertThat(seqs.get(3)).isGreaterThan(seqs.get(0));
    }

    @Test
    void aBatchOfMoreEventsThanTheLimitIsRefusedWith413AndNothingOfItIsStored() {
        List<Map<String, Object>> batch = java.util.stream.IntStream.range(0, 1001)
                .mapToObj(i -> event("publishing.book.published"))
                .toList();
        asService("publishing")
                .contentType("application/cloudevents-batch+json")
                .body(batch)
                .post("/api/events/batch")
                .then()
                .statusCode(413)
                .body("detail", containsString("at most 1000"));
        asService("publishing").body(batch.get(0)).post("/api/events").then().statusCode(201);
    }

    @Test
    void aServiceCannotPublishConveyorsOwnTypesNorAnotherServicesNamespace() {
        asService("publishing")
                .body(event("deploy.succeeded"))
                .post("/api/events")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("Conveyor's own namespace"));
        asService("publishing")
                .body(event("accounts.user.updated"))
                .post("/api/events")
                .then()
                .statusCode(403)
                .body("detail", containsString("may publish only publishing.*"));
    }

    @Test
    void invalidEventsAreRefusedNamingTheField() {
        Map<String, Object> noSource = new java.util.HashMap<>(event("publishing.book.published"));
        noSource.remove("source");
        asService("publishing")
                .body(noSource)
                .post("/api/events")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("source: required, a non-empty string"));
        Map<String, Object> badVersion = new java.util.HashMap<>(event("publishing.book.published"));
        badVersion.put("specversion", "0.3");
        asService("publishing")
                .body(badVersion)
                .post("/api/events")
                .then()
                .statusCode(400)
                .body("detail", equalTo("specversion: expected \"1.0\""));
        Map<String, Object> badTime = new java.util.HashMap<>(event("publishing.book.published"));
        badTime.put("time", "yesterday");
        asService("publishing")
                .body(badTime)
                .post("/api/events")
                .then()
                .statusCode(400)
                .body("detail", containsString("time: expected an RFC 3339 timestamp"));
        asService("publishing")
                .body("not json")
                .post("/api/events")
                .then()
                .statusCode(400)
                .body("detail", containsString("not JSON"));
    }

    @Test
    void anEventLargerThanTheLimitIsRefusedWith413() {
        Map<String, Object> big = new java.util.HashMap<>(event("publishing.book.published"));
        big.put("data", Map.of("text", "x".repeat(70_000)));
        asService("publishing")
                .body(big)
                .post("/api/events")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("at most 65536 bytes"));
    }

    @Test
    void onlyServiceUsersPublishAndServiceUsersCanDoNothingElse() {
        Api.asAdmin()
                .contentType("application/cloudevents+json")
                .body(event("publishing.book.published"))
                .post("/api/events")
                .then()
                .statusCode(403);
        asService("publishing").get("/api/environments").then().statusCode(403);
        asService("publishing")
                .contentType(ContentType.JSON)
                .body(Map.of("components", Map.of()))
                .post("/api/releases")
                .then()
                .statusCode(403);
        asService("publishing").get("/api/events?limit=1").then().statusCode(200);
    }

    @Test
    void aServiceRoleCannotBeCombinedWithAPersonsRole() {
        Api.asAdmin()
                .body(Map.of(
                        "username",
                        "mixed-service",
                        "password",
                        Api.USER_PASSWORD,
                        "roles",
                        List.of("service", "admin")))
                .post("/api/users")
                .then()
                .statusCode(400)
                .body("detail", containsString("service role alone"));
    }

    @Test
    void aReviewerCannotCreateSubscriptions() {
        Map<String, Object> subscription =
                Map.of("url", "http://127.0.0.1:9/hook", "types", List.of("*"), "secret", "a-long-enough-secret");
        Api.asRole("reviewer")
                .body(subscription)
                .post("/api/subscriptions")
                .then()
                .statusCode(403);
        Api.asRole("lead").body(subscription).post("/api/subscriptions").then().statusCode(403);
        asService("publishing")
                .contentType(ContentType.JSON)
                .body(subscription)
                .post("/api/subscriptions")
                .then()
                .statusCode(403);
    }
}
