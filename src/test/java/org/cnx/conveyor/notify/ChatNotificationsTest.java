package org.cnx.conveyor.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.events.EventPublisher;
import org.cnx.conveyor.events.EventType;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Events;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.RecordingChat;
import org.cnx.conveyor.support.TestEnvironments;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slack and Matrix channels receive the events they asked for, of the environments they asked for, as messages in
 * their chat's documented format, through the outbox: retried, dead-lettered and redelivered like webhooks.
 */
@QuarkusTest
@TestProfile(ChatNotificationsTest.ShortRetries.class)
class ChatNotificationsTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final String TOKEN = "syt_Y29udmV5b3I_secretToken0123";

    /** Retries for three seconds instead of a day; links point at a Conveyor named conveyor.test. */
    public static class ShortRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "conveyor.events.webhooks.retry-period", "3s",
                    "conveyor.events.webhooks.initial-backoff", "200ms",
                    "conveyor.notifications.conveyor-url", "http://conveyor.test/");
        }
    }

    @Inject
    EventPublisher publisher;

    private static boolean defined;

    @BeforeEach
    void environments() {
        if (defined) {
            return;
        }
        defined = true;
        TestEnvironments.writeInstant("chat-approved", "dev", 1);
        TestEnvironments.writeInstant("chat-frozen", "staging", 0);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
    }

    @AfterAll
    static void cleanUp() {
        TestEnvironments.delete("chat-approved.yml");
        TestEnvironments.delete("chat-frozen.yml");
    }

    @Test
    void aSlackChannelGetsOnlyItsEventsOfItsEnvironmentsAsBlocksWithLinks() {
        try (RecordingChat slack = new RecordingChat()) {
            String webhook = slack.url() + "/services/T0CNX/B0DEPLOY/sEcReTpArT";
            long channel = channel(Map.of(
                    "kind",
                    "slack",
                    "name",
                    "#cnx-deploys",
                    "url",
                    webhook,
                    "events",
                    List.of("deploy.failed", "deploy.succeeded"),
                    "environments",
                    List.of("chat-slack")));
            String shown = Api.asAdmin()
                    .get("/api/channels/" + channel)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            // The webhook URL is the credential: only its host is ever shown back.
            assertThat(shown).doesNotContain("sEcReTpArT").contains(slack.url() + "/…");

            publish(EventType.DEPLOY_STARTED, "chat-slack", deploy(118, null));
            publish(EventType.DEPLOY_FAILED, "chat-other", deploy(119, "health check failed"));
            publish(EventType.DEPLOY_FAILED, "chat-slack", deploy(120, "health check web on host01: HTTP 503 <b>"));
            publish(EventType.DEPLOY_SUCCEEDED, "chat-slack", deploy(121, null));

            Wait.until("two messages at Slack", DELIVERY, () -> slack.accepted().size() == 2);
            assertThat(slack.accepted())
                    .extracting(RecordingChat.Request::method)
                    .containsOnly("POST");
            assertThat(slack.accepted())
                    .extracting(RecordingChat.Request::path)
                    .containsOnly("/services/T0CNX/B0DEPLOY/sEcReTpArT");
            assertThat(slack.accepted().get(0).contentType()).startsWith("application/json");

            JsonPath failed = JsonPath.from(slack.accepted().get(0).body());
            assertThat(failed.getString("text"))
                    .isEqualTo("Deploy of release 42 to chat-slack failed: health check web on host01: HTTP 503 <b>."
                            + " Nothing live was changed.\nJob #120: http://conveyor.test/jobs/120");
            assertThat(failed.getList("blocks.type")).containsExactly("section", "context");
            assertThat(failed.getString("blocks[0].text.type")).isEqualTo("mrkdwn");
            // Slack's control characters are escaped; links are <url|label>.
            assertThat(failed.getString("blocks[0].text.text"))
                    .isEqualTo("Deploy of release 42 to chat-slack failed: health check web on host01: HTTP 503"
                            + " &lt;b&gt;. Nothing live was changed.\n<http://conveyor.test/jobs/120|Job #120>");
            assertThat(failed.getString("blocks[1].elements[0].type")).isEqualTo("mrkdwn");
            assertThat(failed.getString("blocks[1].elements[0].text")).isEqualTo("Conveyor · chat-slack");

            JsonPath succeeded = JsonPath.from(slack.accepted().get(1).body());
            assertThat(succeeded.getString("text")).startsWith("Release 42 is live on chat-slack (was 41) by alice.");
            Events.unsubscribe(channel);
        }
    }

    @Test
    void aMatrixChannelOfAStageGetsTheApprovalRequestWithTheLinkThatOpensThePromotion() {
        try (RecordingChat matrix = new RecordingChat()) {
            long channel = channel(Map.of(
                    "kind",
                    "matrix",
                    "name",
                    "Releases room",
                    "url",
                    matrix.url(),
                    "room",
                    "!cnxReleases:matrix.example.org",
                    "token",
                    TOKEN,
                    "events",
                    List.of("promotion.requested"),
                    "stages",
                    List.of("dev")));
            assertThat(Api.asAdmin()
                            .get("/api/channels")
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString())
                    .doesNotContain(TOKEN)
                    .contains("\"stages\":[\"dev\"]");
            // An environment of another stage: not this channel's.
            publish(EventType.PROMOTION_REQUESTED, "chat-frozen", Map.of("promotion", 1, "release", 1, "by", "x"));
            long release = Jobs.versionOnlyRelease("chat-approval");
            long promotion = Api.asRole("developer")
                    .body(Map.of("release", release, "environment", "chat-approved"))
                    .post("/api/promotions")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath()
                    .getLong("id");

            Wait.until(
                    "the approval request in the room",
                    DELIVERY,
                    () -> matrix.accepted().size() == 1);
            RecordingChat.Request put = matrix.accepted().get(0);
            assertThat(put.method()).isEqualTo("PUT");
            long delivery = Events.deliveries(channel).getLong("[0].id");
            assertThat(put.path())
                    .isEqualTo("/_matrix/client/v3/rooms/!cnxReleases:matrix.example.org/send/m.room.message/conveyor-"
                            + delivery);
            assertThat(put.authorization()).isEqualTo("Bearer " + TOKEN);
            JsonPath content = JsonPath.from(put.body());
            assertThat(content.getString("msgtype")).isEqualTo("m.notice");
            assertThat(content.getString("format")).isEqualTo("org.matrix.custom.html");
            assertThat(content.getString("body"))
                    .isEqualTo("developer-user asks to promote release " + release + " to chat-approved: 1 approval"
                            + " needed.\nReview and approve: http://conveyor.test/promotions/" + promotion);
            assertThat(content.getString("formatted_body"))
                    .isEqualTo("developer-user asks to promote release " + release + " to chat-approved: 1 approval"
                            + " needed.<br><a href=\"http://conveyor.test/promotions/" + promotion
                            + "\">Review and approve</a>");
            Api.asAdmin()
                    .post("/api/promotions/" + promotion + "/cancel")
                    .then()
                    .statusCode(200);
            Events.unsubscribe(channel);
        }
    }

    @Test
    void aFailingChannelIsRetriedThenDeadLetteredAndARedeliveryPostsIt() {
        try (RecordingChat slack = new RecordingChat()) {
            slack.answer(502);
            long channel = channel(Map.of(
                    "kind",
                    "slack",
                    "name",
                    "#flaky",
                    "url",
                    slack.url() + "/services/T/B/flaky",
                    "events",
                    List.of("runbook.failed"),
                    "environments",
                    List.of("chat-retry")));
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("job", 77);
            run.put("runbook", "purge-cache");
            run.put("by", "alice");
            run.put("error", "web1: exited with status 2");
            publish(EventType.RUNBOOK_FAILED, "chat-retry", run);

            JsonPath dead = Wait.until("the message dead-lettered", Duration.ofSeconds(60), () -> {
                JsonPath log = Api.asAdmin()
                        .get("/api/channels/" + channel + "/deliveries")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
                return "dead".equals(log.getString("[0].status")) ? log : null;
            });
            assertThat(dead.getInt("[0].attempts")).isGreaterThan(1);
            assertThat(dead.getInt("[0].statusCode")).isEqualTo(502);
            assertThat(slack.requests()).isGreaterThan(1);
            assertThat(slack.accepted()).isEmpty();

            slack.answer(200);
            Api.asAdmin()
                    .post("/api/channels/" + channel + "/deliveries/" + dead.getLong("[0].id") + "/redeliver")
                    .then()
                    .statusCode(202)
                    .body("status", equalTo("pending"));
            Wait.until(
                    "the redelivered message", DELIVERY, () -> slack.accepted().size() == 1);
            assertThat(JsonPath.from(slack.accepted().get(0).body()).getString("text"))
                    .isEqualTo("Runbook purge-cache on chat-retry failed by alice: web1: exited with status 2.\n"
                            + "Job #77: http://conveyor.test/jobs/77");
            Events.unsubscribe(channel);
        }
    }

    @Test
    void aFreezeThatBeginsIsAnnouncedOnceToTheChannelsOfItsEnvironment() {
        try (RecordingChat slack = new RecordingChat()) {
            long channel = channel(Map.of(
                    "kind",
                    "slack",
                    "name",
                    "#freezes",
                    "url",
                    slack.url() + "/services/T/B/freeze",
                    "events",
                    List.of("freeze.started"),
                    "environments",
                    List.of("chat-frozen")));
            Instant until = Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            long freeze = Api.asRole("lead")
                    .body(Map.of(
                            "environment",
                            "chat-frozen",
                            "from",
                            Instant.now().minusSeconds(1).toString(),
                            "to",
                            until.toString(),
                            "reason",
                            "Release week"))
                    .post("/api/freezes")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath()
                    .getLong("id");
            Wait.until("the freeze notice", DELIVERY, () -> slack.accepted().size() == 1);
            assertThat(JsonPath.from(slack.accepted().get(0).body()).getString("text"))
                    .isEqualTo("Deploy freeze on chat-frozen started: \"Release week\". Deploys are refused until "
                            + until + "; rollbacks are allowed.\nFreezes: http://conveyor.test/freezes");
            // However often the scheduler looks (once a second here), the window is announced once.
            Wait.until("a later look of the scheduler", DELIVERY, () -> slack.requests() >= 1);
            assertThat(Events.after(0, "freeze.started").getList("event.subject", String.class))
                    .containsOnlyOnce("freezes/" + freeze);
            Api.asRole("lead").delete("/api/freezes/" + freeze).then().statusCode(204);
            Events.unsubscribe(channel);
        }
    }

    @Test
    void channelsAreCheckedAndTheirUrlsGoThroughTheOutboundAddressRules() {
        // A channel URL is an admin's, but Conveyor still does not post into the cloud's metadata service for one.
        Api.asAdmin()
                .body(Map.of(
                        "kind",
                        "slack",
                        "name",
                        "x",
                        "url",
                        "http://169.254.169.254/latest/meta-data",
                        "events",
                        List.of("deploy.failed")))
                .post("/api/channels")
                .then()
                .statusCode(400)
                .body("detail", startsWith("url: host 169.254.169.254 resolves to"));
        Api.asAdmin()
                .body(Map.of(
                        "kind", "matrix",
                        "name", "x",
                        "url", "http://127.0.0.1:9",
                        "room", "#alias:example.org",
                        "token", TOKEN,
                        "events", List.of("deploy.failed")))
                .post("/api/channels")
                .then()
                .statusCode(400)
                .body("detail", startsWith("room: expected a Matrix room id"));
        Api.asAdmin()
                .body(Map.of(
                        "kind", "matrix",
                        "name", "x",
                        "url", "http://127.0.0.1:9",
                        "room", "!r:example.org",
                        "events", List.of("deploy.failed")))
                .post("/api/channels")
                .then()
                .statusCode(400)
                .body("detail", startsWith("token:"));
        Api.asAdmin()
                .body(Map.of("kind", "slack", "name", "x", "url", "http://127.0.0.1:9/s", "events", List.of("*")))
                .post("/api/channels")
                .then()
                .statusCode(400)
                .body("detail", startsWith("events: * cannot be sent to a chat"));
        long channel = channel(Map.of(
                "kind",
                "slack",
                "name",
                "#listed",
                "url",
                "http://127.0.0.1:9/s/x",
                "events",
                List.of("deploy.failed")));
        // Channels are not webhook subscriptions: the subscriptions list leaves them out.
        assertThat(Api.asAdmin()
                        .get("/api/subscriptions")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("id", Long.class))
                .doesNotContain(channel);
        Events.unsubscribe(channel);
    }

    @Test
    void anAdminAddsAChannelOnThePageAndARefusedFormComesBackFilledIn() {
        String session = Api.loginCookie("admin", Api.ADMIN_PASSWORD);
        assertThat(Api.page(session)
                        .get("/channels")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("value=\"freeze.started\"")
                .contains("Approval requested");
        String refused = Api.formPost(session)
                .formParam("kind", "slack")
                .formParam("name", "#page-made")
                .formParam("url", "http://169.254.169.254/hook")
                .formParam("events", "deploy.failed")
                .formParam("events", "preview.ready")
                .formParam("stages", "production")
                .post("/channels")
                .then()
                .statusCode(400)
                .extract()
                .asString();
        assertThat(refused)
                .contains("url: host 169.254.169.254 resolves to")
                .contains("value=\"#page-made\"")
                .contains("value=\"preview.ready\" checked")
                .contains("name=\"stages\" value=\"production\"");
        String location = Api.formPost(session)
                .formParam("kind", "slack")
                .formParam("name", "#page-made")
                .formParam("url", "http://127.0.0.1:9/services/T/B/pageSecret")
                .formParam("events", "deploy.failed")
                .post("/channels")
                .then()
                .statusCode(303)
                .extract()
                .header("Location");
        String detail = Api.page(session)
                .get(location.substring(location.indexOf("/channels/")))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(detail)
                .contains("#page-made")
                .contains("Deploy failed")
                .contains("No messages yet.")
                .contains("data-confirm=\"Delete chat channel #page-made?")
                .doesNotContain("pageSecret");
        Events.unsubscribe(Long.parseLong(location.replaceAll("^.*/channels/([0-9]+).*$", "$1")));
    }

    private static long channel(Map<String, ?> body) {
        return Api.asAdmin()
                .body(body)
                .post("/api/channels")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private void publish(EventType type, String environment, Map<String, ?> data) {
        QuarkusTransaction.requiringNew()
                .run(() -> publisher.publish(type, "jobs/" + data.get("job"), environment, data));
    }

    private static Map<String, Object> deploy(long job, String error) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job", job);
        data.put("kind", "deploy");
        data.put("release", 42);
        data.put("previousRelease", 41);
        data.put("requestedBy", "alice");
        if (error != null) {
            data.put("error", error);
        }
        return data;
    }
}
