package org.cnx.conveyor.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.cnx.conveyor.support.Api;
import org.junit.jupiter.api.Test;

/** A body that is not JSON, or JSON of the wrong shape, answers a problem detail saying where, never an empty 400. */
@QuarkusTest
class MalformedJsonTest {

    @Test
    void aBodyThatIsNotJsonGetsAProblemDetailWithItsPosition() {
        Api.asAdmin()
                .body("{\"components\": nope}")
                .post("/api/releases")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(400))
                .body("detail", containsString("expected valid JSON"))
                .body("detail", containsString("line 1"));
        Api.asAdmin()
                .body("{\"components\": {\"web\": ")
                .post("/api/releases")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("expected valid JSON, but it ends early"));
        Api.asAdmin()
                .body("not json at all, s3cr3t")
                .post("/api/users")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("title", equalTo("Invalid request"))
                .body("detail", not(containsString("s3cr3t")));
    }

    @Test
    void aFieldOfTheWrongTypeIsNamed() {
        Api.asAdmin()
                .body("{\"release\": \"not-a-number\"}")
                .post("/api/environments/demo/deployments")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("release: expected a value of another type"));
        Api.asAdmin()
                .body("[1, 2]")
                .post("/api/tokens")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("body: expected a JSON object"));
    }
}
