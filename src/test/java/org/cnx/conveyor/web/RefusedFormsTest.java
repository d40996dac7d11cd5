package org.cnx.conveyor.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Without JavaScript, a refused spin-up or promotion comes back to its page with the problem next to the form and what
 * was typed, as the lock, deploy and user forms do (the browser suite covers those).
 */
@QuarkusTest
class RefusedFormsTest {

    private static boolean defined;

    @BeforeEach
    void definePipeline() {
        if (!defined) {
            TestEnvironments.writeInstant("refused-prod", "production", 1);
            Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
            Api.ensureUser("refused-dev", "developer");
            defined = true;
        }
    }

    @Test
    void aPromotionTheGateRefusesComesBackToThePromoteFormWithTheNoteAndTheChoiceKept() {
        long release = Jobs.versionOnlyRelease("refused-promotion");
        String session = Api.loginCookie("refused-dev", Api.USER_PASSWORD);
        String page = "/releases/" + release + "/promote";

        Response refused = plainPost(session, page)
                .formParam("environment", "refused-prod")
                .formParam("note", "ships the reading list")
                .formParam("allowIrreversible", "true")
                .post(page);

        assertThat(refused.statusCode()).isEqualTo(303);
        assertThat(refused.getHeader("Location")).endsWith(page);
        String html = Api.page(session)
                .cookie("conveyor-refusal", refused.getCookie("conveyor-refusal"))
                .get(page)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String form = html.substring(html.indexOf("id=\"promote-form\""));
        assertThat(form).contains("class=\"form-error error\"");
        assertThat(form).contains("<option value=\"refused-prod\" disabled selected>");
        assertThat(form).contains(">ships the reading list</textarea>");
        assertThat(form).contains("name=\"allowIrreversible\" value=\"true\" checked");
    }

    @Test
    void aSpinUpWithAReleaseThatIsNoNumberComesBackToTheClonesPageWithTheProblem() {
        String session = Api.loginCookie("refused-dev", Api.USER_PASSWORD);

        Response refused =
                plainPost(session, "/clones").formParam("release", "latest").post("/clones");

        assertThat(refused.statusCode()).isEqualTo(303);
        assertThat(refused.getHeader("Location")).endsWith("/clones");
        String html = Api.page(session)
                .cookie("conveyor-refusal", refused.getCookie("conveyor-refusal"))
                .get("/clones")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String form = html.substring(html.indexOf("id=\"spin-up-form\""));
        form = form.substring(0, form.indexOf("</form>"));
        assertThat(form).contains("release: expected a release number, found &quot;latest&quot;");
    }

    /** A post as a browser without JavaScript sends it from Conveyor's own page. */
    private static io.restassured.specification.RequestSpecification plainPost(String session, String from) {
        return Api.formPost(session)
                .header("Sec-Fetch-Site", "same-origin")
                .header("Referer", "http://localhost" + from);
    }
}
