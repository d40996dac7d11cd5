package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Events;
import org.cnx.conveyor.support.Subscriber;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SubscriptionPagesTest {

    private static final String SECRET = "pages-secret-0123456789";

    @Test
    void anAdminAddsASubscriptionOnThePageSeesItsDeliveriesAndRedeliversOne() {
        try (Subscriber subscriber = new Subscriber(SECRET).start()) {
            String admin = Api.loginCookie("admin", Api.ADMIN_PASSWORD);
            String location = Api.formPost(admin)
                    .formParam("url", subscriber.url())
                    .formParam("types", "paging.*")
                    .formParam("environments", "")
                    .formParam("secret", SECRET)
                    .post("/subscriptions")
                    .then()
                    .statusCode(303)
                    .extract()
                    .header("Location");
            assertThat(location).contains("/subscriptions/");
            String detail = location.substring(location.indexOf("/subscriptions/"), location.indexOf('?'));

            Api.page(admin)
                    .get("/subscriptions")
                    .then()
                    .statusCode(200)
                    .body(containsString(subscriber.url()))
                    .body(containsString("paging.*"))
                    .body(not(containsString(SECRET)));
            Api.page(admin).get(detail).then().statusCode(200).body(containsString("No deliveries yet."));

            Events.publish("paging", "paging.turned", Map.of("page", 1));
            Wait.until(
                    "the delivery",
                    Duration.ofSeconds(30),
                    () -> subscriber.received().size() == 1);
            String page = Wait.until("the delivery on the page", Duration.ofSeconds(30), () -> {
                String html = Api.page(admin)
                        .get(detail)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
                return html.contains("badge delivered") ? html : null;
            });
            assertThat(page).contains("paging.turned").contains("Redeliver");

            String deliveryId = page.replaceAll("(?s).*data-delivery=\"(\\d+)\".*", "$1");
            Api.formPost(admin)
                    .post(detail + "/deliveries/" + deliveryId + "/redeliver")
                    .then()
                    .statusCode(303);
            Wait.until(
                    "the redelivery",
                    Duration.ofSeconds(30),
                    () -> subscriber.received().size() == 2);

            Api.formPost(admin)
                    .post(detail + "/ping")
                    .then()
                    .statusCode(303)
                    .header("Location", containsString("Ping+delivered"));
            Api.formPost(admin)
                    .formParam("confirmed", "yes")
                    .post(detail + "/delete")
                    .then()
                    .statusCode(303);
        }
    }

    @Test
    void aReviewerCannotOpenTheSubscriptionsPage() {
        Api.ensureUser("reviewer-user", "reviewer");
        String reviewer = Api.loginCookie("reviewer-user", Api.USER_PASSWORD);
        Api.page(reviewer).get("/subscriptions").then().statusCode(403);
    }
}
