package org.cnx.conveyor.preview;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GitHub's two content types: {@code application/json}, and its default {@code application/x-www-form-urlencoded}
 * whose {@code payload} field carries the JSON. Both are verified over the raw body; anything else is refused with a
 * problem detail that says what to choose on GitHub.
 */
@QuarkusTest
class GitHubContentTypesTest {

    private static final String UNMAPPED = GitHub.pullRequest(
                    "openstax/unrelated", "opened", 7, "feature/form", GitHub.sha(9701))
            .replace("Makes titles stand out.", "Makes titles stand out. ".repeat(60));

    @Test
    void aFormEncodedDeliveryIsVerifiedOverItsRawBodyAndReadFromItsPayloadField() {
        String form = "payload=" + URLEncoder.encode(UNMAPPED, StandardCharsets.UTF_8);
        assertThat(form.length())
                .as("larger than the form attribute limit that used to answer 413")
                .isGreaterThan(2048);
        GitHub.deliverForm("pull_request", UUID.randomUUID().toString(), UNMAPPED)
                .then()
                .statusCode(202)
                .body("outcome", containsString("ignored: repository openstax/unrelated builds no component"));
    }

    @Test
    void aFormEncodedDeliveryWithAWrongSignatureIsRefused() {
        String form = "payload=" + URLEncoder.encode(UNMAPPED, StandardCharsets.UTF_8);
        form(form, WebhookSignature.sign(GitHub.SECRET, ("payload=" + UNMAPPED).getBytes(StandardCharsets.UTF_8)))
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void aFormWithoutPayloadIsRefusedSayingToChooseJson() {
        String form = "event=pull_request";
        form(form, WebhookSignature.sign(GitHub.SECRET, form.getBytes(StandardCharsets.US_ASCII)))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("choose Content type application/json"));
    }

    @Test
    void anotherContentTypeIsRefusedWithAProblemSayingToChooseJson() {
        byte[] body = UNMAPPED.getBytes(StandardCharsets.UTF_8);
        given().header("X-GitHub-Event", "pull_request")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", WebhookSignature.sign(GitHub.SECRET, body))
                .contentType("text/plain")
                .body(body)
                .post("/hooks/github")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415))
                .body("detail", containsString("choose Content type application/json"));
    }

    private static io.restassured.response.Response form(String form, String signature) {
        return given().config(RestAssured.config()
                        .encoderConfig(EncoderConfig.encoderConfig()
                                .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .header("X-GitHub-Event", "pull_request")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", signature)
                .contentType("application/x-www-form-urlencoded")
                .body(form)
                .post("/hooks/github");
    }
}
