package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Events;
import org.cnx.conveyor.support.Subscriber;
import org.junit.jupiter.api.Test;

/** Subscription URLs follow the address rules (tests allow only 127.0.0.1 and localhost); a ping shows no body. */
@QuarkusTest
class SubscriptionAddressTest {

    private static final String SECRET = "subscriber-secret-0123456789";

    @Test
    void urlsOnLoopbackLinkLocalOrPrivateAddressesNotOnTheAllowListAreRefused() {
        for (String url : List.of(
                "http://127.0.0.2:8080/hook",
                "http://[::1]/hook",
                "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.7/hook",
                "http://192.168.0.1/hook",
                "http://0.0.0.0:5432/")) {
            Api.asAdmin()
                    .body(Map.of("url", url, "types", List.of("*"), "secret", SECRET))
                    .post("/api/subscriptions")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("conveyor.events.webhooks.allowed-hosts"));
        }
    }

    @Test
    void aPingSaysWhetherItWasDeliveredButNotWhatTheSubscriberAnswered() {
        try (Subscriber subscriber = new Subscriber(SECRET).start()) {
            long subscription = Events.subscribe(subscriber.url(), List.of("ping.*"), SECRET);
            Map<String, Object> result = Api.asAdmin()
                    .post("/api/subscriptions/" + subscription + "/ping")
                    .then()
                    .statusCode(200)
                    .body("delivered", equalTo(true))
                    .extract()
                    .jsonPath()
                    .getMap("");
            assertThat(result).doesNotContainKey("responseExcerpt");
            assertThat(result.toString()).doesNotContain("\"status\"");
            Events.unsubscribe(subscription);
        }
    }
}
