package org.cnx.conveyor.preview;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.cnx.conveyor.support.Api;
import org.junit.jupiter.api.Test;

/** GitHub's webhook is trusted through its signature alone: a wrong, missing or stale one acts on nothing. */
@QuarkusTest
class GitHubWebhookSignatureTest {

    private static final String DOCUMENTED_SIGNATURE =
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void githubsDocumentedExampleVerifies() {
        byte[] payload = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.sign("It's a Secret to Everybody", payload)).isEqualTo(DOCUMENTED_SIGNATURE);
        assertThat(WebhookSignature.verify("It's a Secret to Everybody", payload, DOCUMENTED_SIGNATURE))
                .isTrue();

        given().header("X-GitHub-Event", "ping")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", DOCUMENTED_SIGNATURE)
                .body(payload)
                .post("/hooks/github")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("pong"));
    }

    @Test
    void aTamperedBodyIsRefusedAndChangesNothing() {
        String signed = GitHub.pullRequest("opened", 9101, "feature/tampered", GitHub.sha(9101));
        String tampered = signed.replace("feature/tampered", "feature/evil");
        given().header("X-GitHub-Event", "pull_request")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header(
                        "X-Hub-Signature-256",
                        WebhookSignature.sign(GitHub.SECRET, signed.getBytes(StandardCharsets.UTF_8)))
                .contentType("application/json")
                .body(tampered)
                .post("/hooks/github")
                .then()
                .statusCode(401)
                .body("detail", containsString("X-Hub-Signature-256"));
        assertNothingCreatedFor(9101);
    }

    @Test
    void aWrongSecretIsRefusedAndChangesNothing() {
        byte[] body = GitHub.pullRequest("opened", 9102, "feature/wrong-secret", GitHub.sha(9102))
                .getBytes(StandardCharsets.UTF_8);
        given().header("X-GitHub-Event", "pull_request")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", WebhookSignature.sign("not the secret", body))
                .contentType("application/json")
                .body(body)
                .post("/hooks/github")
                .then()
                .statusCode(401);
        assertNothingCreatedFor(9102);
    }

    @Test
    void aMissingSignatureIsRefusedAndChangesNothing() {
        given().header("X-GitHub-Event", "pull_request")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .contentType("application/json")
                .body(GitHub.pullRequest("opened", 9103, "feature/unsigned", GitHub.sha(9103)))
                .post("/hooks/github")
                .then()
                .statusCode(401);
        assertNothingCreatedFor(9103);
    }

    @Test
    void aSignedDeliveryReplayedUnderANewDeliveryIdIsRefused() {
        String captured = GitHub.pullRequest("closed", 9104, "feature/replayed", GitHub.sha(9104));
        String original = UUID.randomUUID().toString();
        GitHub.deliver("pull_request", original, captured)
                .then()
                .statusCode(202)
                .body("outcome", containsString("no preview"));

        GitHub.deliver("pull_request", UUID.randomUUID().toString(), captured)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("replay is refused"));
        GitHub.deliver("pull_request", original, captured)
                .then()
                .statusCode(200)
                .body("outcome", containsString("handled before"));
        // A different event (another body, hence another signature) is handled as usual.
        GitHub.deliver("pull_request", GitHub.pullRequest("closed", 9104, "feature/replayed", GitHub.sha(9105)))
                .then()
                .statusCode(202);
        assertNothingCreatedFor(9104);
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String huge = "{\"padding\":\"" + "x".repeat(1_100_000) + "\"}";
        GitHub.deliver("pull_request", huge).then().statusCode(413);
    }

    @Test
    void otherEventsAreIgnoredWithAReason() {
        GitHub.deliver("issues", "{\"action\":\"opened\"}")
                .then()
                .statusCode(202)
                .body("outcome", containsString("ignored"));
    }

    private static void assertNothingCreatedFor(int number) {
        Api.asAdmin().get("/api/environments/pr-cnx-" + number).then().statusCode(404);
        assertThat(Api.asAdmin()
                        .get("/api/previews")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("number"))
                .doesNotContain(number);
    }
}
