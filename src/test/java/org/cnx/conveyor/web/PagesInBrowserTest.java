package org.cnx.conveyor.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.job.Job;
import org.cnx.conveyor.job.JobLog;
import org.cnx.conveyor.job.JobLogStore;
import org.cnx.conveyor.job.JobStep;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Chromium;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.MigrationStack;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The pages as a developer, a lead and an admin use them, on a phone (390 px) and a desktop (1280 px): nothing wider
 * than the screen, a job page that tells the truth about its job, searches that cover the whole log, destructive
 * actions that ask, refused forms that keep what was typed, and approvals that find the lead. Every page is
 * photographed at both widths into {@code target/screenshots/}.
 */
@QuarkusTest
class PagesInBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration JOB = Duration.ofMinutes(2);
    private static final int PHONE = 390;
    private static final int DESKTOP = 1280;

    private static Playwright playwright;
    private static Browser browser;
    private static boolean defined;

    @TestHTTPResource("/")
    URL base;

    @Inject
    JobLogStore logs;

    private BrowserContext context;
    private Page page;
    private final List<String> scriptErrors = new ArrayList<>();

    @BeforeAll
    static void launchChromium() {
        playwright = Playwright.create();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void closeChromium() {
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void definePipelineAndUsers() {
        if (!defined) {
            TestEnvironments.writeInstant("ui-dev", "dev", 0);
            TestEnvironments.writeInstant("ui-staging", "staging", 0);
            TestEnvironments.writeInstant("ui-prod", "production", 1);
            TestEnvironments.writeInstant("ui-busy", "dev", 0);
            TestEnvironments.write("ui-fresh.yml", """
                    name: ui-fresh
                    kind: shared
                    stage: dev
                    url: http://localhost:23499/
                    description: a long description that goes on and on to see that a card wraps it rather than widening the page, with a long word Supercalifragilisticexpialidocious-and-then-some-more-characters-without-spaces
                    root: hosts/ui-fresh
                    hosts:
                      - name: local
                        transport: local
                        roles: [app]
                    components:
                      app:
                        start: "true"
                        stop: "true"
                    """);
            Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
            Api.ensureUser("ui-lead", "lead");
            Api.ensureUser("ui-dana", "developer");
            defined = true;
        }
    }

    @AfterEach
    void closePage(TestInfo test) {
        if (context != null) {
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(SCREENSHOTS.resolve(
                            "last-" + test.getTestMethod().orElseThrow().getName() + ".png"))
                    .setFullPage(true));
            context.close();
        }
    }

    @Test
    void everyPageFitsAPhoneAndADesktopWithoutSidewaysScrolling() {
        long release = Jobs.versionOnlyRelease("ui-1.0");
        Jobs.awaitFinished(Jobs.deploy("ui-dev", release), JOB);
        // A release whose label (the first line of its notes, shown in full) is long: the deploy form's list of
        // releases must not widen the page.
        org.cnx.conveyor.support.Api.asAdmin()
                .body(java.util.Map.of(
                        "components",
                        java.util.Map.of("app", java.util.Map.of("version", "ui-long")),
                        "notes",
                        "Webview: " + "a release note that goes on and on without a line break ".repeat(4)))
                .post("/api/releases")
                .then()
                .statusCode(201);
        long job = finishedJobWithLog("ui-dev", 500, "a rather long line of output that a phone must wrap, ");
        List<String> pages = List.of(
                "",
                "environments/ui-dev",
                "environments/ui-prod",
                "pipeline",
                "jobs/" + job,
                "releases",
                "releases/" + release,
                "releases/" + release + "/promote",
                "promotions",
                "approvals",
                "clones",
                "previews",
                "freezes",
                "audit",
                "users",
                "tokens",
                "secrets",
                "subscriptions");
        List<String> inaccessible = new ArrayList<>();
        for (int width : List.of(PHONE, DESKTOP)) {
            open(width, true);
            login("admin", Api.ADMIN_PASSWORD);
            for (String path : pages) {
                page.navigate(url(path));
                assertThat(page.locator("main")).isVisible();
                Number overflow =
                        (Number) page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
                Object widest = page.evaluate("""
                        () => [...document.querySelectorAll('main *, header *')]
                          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                          .slice(0, 4).map(e => e.tagName + '#' + e.id + '.' + e.className).join(' ')""");
                assertThat(overflow.intValue())
                        .as("/%s at %d px is wider than the screen by %s px (%s)", path, width, overflow, widest)
                        .isLessThanOrEqualTo(0);
                shoot(path.isEmpty() ? "dashboard" : path.replaceAll("[^a-z0-9]+", "-"), width);
                seriousAccessibilityViolations().forEach(v -> inaccessible.add("/" + path + " at " + width + ": " + v));
            }
            page.navigate(url("audit"));
            assertThat(page.locator("#audit")).containsText("localhost");
            assertThat(page.locator("#audit")).not().containsText("0:0:0:0");
            Locator logout = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out"));
            assertThat(logout).isInViewport();
            page.navigate(url("jobs/" + job));
            Locator text = page.locator("#log-lines .line .text").last();
            double textWidth = text.boundingBox().width;
            double lineHeight = page.locator("#log-lines .line").last().boundingBox().height;
            double boxWidth = page.locator("#log").boundingBox().width;
            assertThat(textWidth).as("the log's text column at %d px", width).isGreaterThan(boxWidth * 0.55);
            assertThat(lineHeight).as("one log line's height at %d px", width).isLessThan(120);
            context.close();
            context = null;
        }
        assertThat(inaccessible).as("axe-core's serious and critical findings").isEmpty();
        assertThat(scriptErrors).as("script errors and failed requests").isEmpty();
    }

    @Test
    void aJobThatEndsShowsItsStatusFromTheJobNotFromTheLogStreamBehindIt() {
        long job = runningJobOn("ui-busy");
        JobLog log = logs.open(job, List.of());
        try {
            for (int i = 1; i <= 20_000; i++) {
                log.append("local", "app", "stdout", "line " + i + " of a long running log");
            }
            open(DESKTOP, true);
            login("admin", Api.ADMIN_PASSWORD);
            page.navigate(url("jobs/" + job));
            assertThat(page.locator("#job-status")).hasText("running");
            assertThat(page.locator("#cancel-form")).isVisible();

            QuarkusTransaction.requiringNew().run(() -> Job.<Job>findById(job).succeed());

            assertThat(page.locator("#job-status"))
                    .hasText("succeeded", new LocatorAssertions.HasTextOptions().setTimeout(10_000));
            assertThat(page.locator("#cancel-form")).hasCount(0);
        } finally {
            logs.close(log);
        }
        assertThat(scriptErrors).as("script errors and failed requests").isEmpty();
    }

    @Test
    void theJobPageShowsEveryPhaseFromTheStartWithTheFailedOneOpenAndLiveLinesInTheirSection() {
        long job = runningJobOn("ui-busy");
        JobLog log = logs.open(job, List.of());
        try {
            log.append(null, null, JobLog.CONVEYOR_STREAM, "planning the deploy");
            step(job, Phase.PREPARE, "done");
            log.append("local", "app", "stdout", "prepared the app");
            step(job, Phase.VERIFY, "started");
            log.append("local", "app", "stdout", "checking health");

            open(DESKTOP, true);
            login("admin", Api.ADMIN_PASSWORD);
            page.navigate(url("jobs/" + job));
            assertThat(page.locator("details.phase-section"))
                    .hasCount(8); // plan … post-commit, shown before the job gets there
            assertThat(page.locator("#phase-commit")).hasClass("phase-section pending");
            assertThat(page.locator("#phase-verify")).hasClass("phase-section running");
            assertThat(page.locator("#phase-verify")).hasAttribute("open", "");
            assertThat(page.locator("#phase-prepare")).not().hasAttribute("open", "");
            assertThat(page.locator("#phase-prepare details.host-section[data-host=local] .line"))
                    .containsText("prepared the app");
            assertThat(page.locator("#phase-plan details.host-section[data-host=conveyor] .line"))
                    .containsText("planning the deploy");

            log.append("local", "app", "stderr", "health check refused");
            assertThat(page.locator("#phase-verify .line", new Page.LocatorOptions().setHasText("refused")))
                    .isVisible();
            shoot("job-sections", DESKTOP);
        } finally {
            logs.close(log);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            Job.<Job>findById(job).fail("health check refused");
            JobStep.<JobStep>find("jobId = ?1 and phase = ?2", job, Phase.VERIFY)
                    .firstResult()
                    .state = "FAILED";
        });
        context.close();

        open(PHONE, false);
        login("admin", Api.ADMIN_PASSWORD);
        page.navigate(url("jobs/" + job));
        assertThat(page.locator("#phase-verify")).hasClass("phase-section failed");
        assertThat(page.locator("#phase-verify .line").last()).isVisible();
        assertThat(page.locator("#phase-verify .line").last()).containsText("health check refused");
        assertThat(page.locator("#phase-prepare .line")).isHidden();
        page.locator("#phase-prepare > summary").click();
        assertThat(page.locator("#phase-prepare .line")).isVisible();
        assertThat(page.locator("#phase-commit")).hasClass("phase-section pending");
        shoot("job-sections", PHONE);
        assertThat(scriptErrors).as("script errors and failed requests").isEmpty();
    }

    @Test
    void aReleasePageShowsWhereItWasDeployedAndItsDiffShowsComponentAndMigrationChanges() {
        TestEnvironments.write("ui-db.yml", """
                name: ui-db
                kind: shared
                stage: dev
                root: hosts/ui-db
                hosts:
                  - name: local
                    transport: local
                    roles: [app, db]
                components:
                  app:
                    start: "true"
                    stop: "true"
                  db:
                    migrations: migrations
                    start: "true"
                    stop: "true"
                database:
                  embedded: conveyor_ui_db
                """);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        long older = MigrationStack.release(
                "1.0.0",
                MigrationStack.files(
                        "V1__people.sql", "CREATE TABLE people (id int);",
                        "V2__pets.sql", "CREATE TABLE pets (id int);"));
        long newer = MigrationStack.release(
                "1.1.0",
                MigrationStack.files(
                        "V1__people.sql", "CREATE TABLE people (id int);",
                        "V3__books.sql", "CREATE TABLE books (id int);"));
        long deployed = Jobs.versionOnlyRelease("ui-history");
        Jobs.awaitFinished(Jobs.deploy("ui-dev", deployed), JOB);

        open(PHONE, true);
        login("admin", Api.ADMIN_PASSWORD);
        page.navigate(url("releases/" + deployed));
        Locator row = page.locator("#deploy-history tbody tr");
        assertThat(row).hasCount(1);
        assertThat(row).containsText("ui-dev");
        assertThat(row.locator(".badge")).hasText("succeeded");
        shoot("release-history", PHONE);

        page.navigate(url("releases/" + newer));
        assertThat(page.locator("#no-deploys")).containsText("Not deployed anywhere yet");
        assertThat(page.locator("#compare-other")).hasValue(Long.toString(older));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show diff"))
                .click();
        page.waitForURL("**/releases/" + older + "/diff/" + newer);
        assertThat(page.locator("tr[data-component=app]")).hasClass("changed");
        assertThat(page.locator("tr[data-component=db]")).hasClass("changed");
        assertThat(page.locator("#migrations-added li")).hasText(new String[] {"V3 books"});
        assertThat(page.locator("#migrations-removed li")).hasText(new String[] {"V2 pets"});
        shoot("release-diff", PHONE);
        assertThat(((Number) page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))
                        .intValue())
                .as("sideways overflow of the diff on a phone")
                .isLessThanOrEqualTo(0);
        assertThat(seriousAccessibilityViolations())
                .as("axe-core's serious and critical findings")
                .isEmpty();
        assertThat(scriptErrors).as("script errors and failed requests").isEmpty();
    }

    @Test
    void searchingCountsMatchesInTheWholeLogAndJumpsToThemAndToTheStart() {
        long job = finishedJobWithLog("ui-dev", 2_500, "");
        open(PHONE, true);
        login("admin", Api.ADMIN_PASSWORD);
        page.navigate(url("jobs/" + job));
        assertThat(page.locator("#log-lines .line")).hasCount(200);

        page.getByLabel("Search").fill("of the long log");
        assertThat(page.locator("#search-count"))
                .hasText("2500 lines of the whole log contain “of the long log”; the first 200 are listed.");
        page.getByLabel("Search").fill("no such text anywhere");
        assertThat(page.locator("#search-count")).hasText("No line of the log contains “no such text anywhere”.");
        page.getByLabel("Search").fill("line 7 of");
        assertThat(page.locator("#search-count")).hasText("1 line of the whole log contain “line 7 of”.");
        page.locator("#search-list a").first().click();
        page.waitForURL("**at=7**");
        assertThat(page.locator("#line-7.target")).isInViewport();
        assertThat(page.locator("#line-7 .text mark")).hasText("line 7 of");

        page.locator("#log-start").click();
        assertThat(page.locator("#log-lines .line").first()).containsText("line 1 of the long log");
        page.locator("#load-later").click();
        assertThat(page.locator("#log-lines .line")).hasCount(1_500);
        page.locator("#log-end").click();
        assertThat(page.locator("#log-lines .line").last()).containsText("line 2500 of the long log");
        shoot("job-search", PHONE);
        assertThat(scriptErrors).as("script errors and failed requests").isEmpty();
    }

    @Test
    void destructiveActionsAskInADialogAndWithoutJavaScriptOnAPageOfTheirOwn() {
        long running = runningJobOn("ui-busy");
        long queued = Jobs.deploy("ui-busy", Jobs.versionOnlyRelease("ui-queued"));
        open(DESKTOP, true);
        login("admin", Api.ADMIN_PASSWORD);
        page.navigate(url("jobs/" + queued));
        assertThat(page.locator("#job-status")).hasText("queued");

        page.locator("#cancel-form button").click();
        assertThat(page.locator("#confirm-dialog")).isVisible();
        assertThat(page.locator("#confirm-dialog-text"))
                .hasText("Cancel job #" + queued + "? A running job stops and rolls back.");
        shoot("confirm-dialog", DESKTOP);
        page.locator("#confirm-dialog-no").click();
        assertThat(page.locator("#confirm-dialog")).isHidden();
        assertThat(page.locator("#job-status")).hasText("queued");

        page.locator("#cancel-form button").click();
        page.locator("#confirm-dialog-yes").click();
        assertThat(page.locator("#job-status")).hasText("cancelled");
        QuarkusTransaction.requiringNew().run(() -> Job.<Job>findById(running).succeed());
        context.close();

        Api.ensureUser("ui-doomed", "reviewer");
        open(DESKTOP, false);
        login("admin", Api.ADMIN_PASSWORD);
        page.navigate(url("users"));
        Locator row = page.locator("tr", new Page.LocatorOptions().setHasText("ui-doomed"));
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete"))
                .click();
        assertThat(page.locator("#confirm-question"))
                .hasText("Delete user ui-doomed? Their sessions and API tokens stop working.");
        shoot("confirm-page", DESKTOP);
        page.locator("#confirm-no").click();
        assertThat(row).isVisible();
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete"))
                .click();
        page.locator("#confirm-yes").click();
        assertThat(page.locator(".notice")).hasText("User deleted");
        assertThat(row).hasCount(0);
    }

    @Test
    void aRefusedFormSaysWhyNextToItselfAndKeepsWhatWasTyped() {
        Api.ensureUser("ui-kept", "reviewer");
        open(PHONE, true);
        login("admin", Api.ADMIN_PASSWORD);
        page.navigate(url("users"));
        Locator password = page.getByLabel("New password of ui-kept");
        password.fill("short");
        page.locator("tr", new Page.LocatorOptions().setHasText("ui-kept"))
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save"))
                .click();
        Locator error = page.locator("tr", new Page.LocatorOptions().setHasText("ui-kept"))
                .locator(".form-error");
        assertThat(error).containsText("password");
        assertThat(password).hasValue("short");
        assertThat(password).hasAttribute("aria-invalid", "true");
        assertThat(page).hasURL(url("users"));
        shoot("form-error", PHONE);
    }

    @Test
    void withoutJavaScriptARefusedFormComesBackWithTheProblemNextToItAndWhatWasTyped() {
        long release = Jobs.versionOnlyRelease("ui-kept-input");
        open(PHONE, false);
        login("admin", Api.ADMIN_PASSWORD);
        page.navigate(url("environments/ui-staging"));
        Locator lock = page.locator("#lock-form");
        lock.locator("[name=reason]").fill("checking the forms");
        lock.locator("[name=expiresAt]").fill("next tuesday");
        lock.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Lock"))
                .click();
        assertThat(page).hasURL(url("environments/ui-staging"));
        assertThat(lock.locator(".form-error").first()).containsText("expiresAt");
        assertThat(lock.locator("[name=reason]")).hasValue("checking the forms");
        assertThat(lock.locator("[name=expiresAt]")).hasValue("next tuesday");
        assertThat(lock.locator("[name=expiresAt]")).hasAttribute("aria-invalid", "true");
        shoot("form-error-nojs", PHONE);

        page.reload(); // the problem was shown once; a reload shows the page as it is
        assertThat(lock.locator(".form-error")).hasCount(0);
        lock.locator("[name=reason]").fill("checking the forms");
        lock.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Lock"))
                .click();
        try {
            Locator deploy = page.locator("#deploy-form");
            deploy.locator("#deploy-release").selectOption(Long.toString(release));
            deploy.locator("#allow-irreversible").check();
            deploy.locator("#deploy-button").click();
            assertThat(page).hasURL(url("environments/ui-staging"));
            assertThat(deploy.locator(".form-error").first()).containsText("locked");
            assertThat(deploy.locator("#deploy-release")).hasValue(Long.toString(release));
            assertThat(deploy.locator("#allow-irreversible")).isChecked();
        } finally {
            page.locator("#unlock-form button").click();
        }

        Api.ensureUser("ui-kept-nojs", "reviewer");
        page.navigate(url("users"));
        Locator row = page.locator("tr", new Page.LocatorOptions().setHasText("ui-kept-nojs"));
        row.getByLabel("Roles of ui-kept-nojs").fill("reviewer,developer");
        row.getByLabel("New password of ui-kept-nojs").fill("short");
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save"))
                .click();
        assertThat(page).hasURL(url("users"));
        assertThat(row.locator(".form-error").first()).containsText("password");
        assertThat(row.getByLabel("Roles of ui-kept-nojs")).hasValue("reviewer,developer");
        assertThat(row.getByLabel("New password of ui-kept-nojs")).hasAttribute("aria-invalid", "true");
        assertThat(page.locator(".form-error")).hasCount(1);
    }

    @Test
    void emptyPlacesSayWhatToDoNext() {
        // Promotions other tests left waiting are withdrawn, so the lead's queue is empty.
        for (Object id : Api.asAdmin().get("/api/promotions/waiting").jsonPath().getList("id")) {
            Api.asAdmin().post("/api/promotions/" + id + "/cancel").then().statusCode(200);
        }
        open(DESKTOP, false);
        login("ui-lead", Api.USER_PASSWORD);
        page.navigate(url("approvals"));
        assertThat(page.locator("td.empty")).containsText("Nothing waits for your approval");
        page.navigate(url("releases/" + Jobs.versionOnlyRelease("ui-never-deployed")));
        assertThat(page.locator("#no-deploys")).containsText("Not deployed anywhere yet");
    }

    @Test
    void reloadingThePageOfANewTokenShowsTheListInsteadOfCreatingItAgain() {
        open(DESKTOP, true);
        login("ui-dana", Api.USER_PASSWORD);
        page.navigate(url("tokens"));
        String name = "ui-ci-" + System.nanoTime();
        page.getByLabel("Name").fill(name);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create token"))
                .click();
        assertThat(page.locator("#new-token")).isVisible();
        assertThat(page).hasURL(url("tokens"));

        page.reload();
        assertThat(page.locator("#new-token")).hasCount(0);
        assertThat(page.locator("td", new Page.LocatorOptions().setHasText(name)))
                .hasCount(1);
        assertThat(scriptErrors).as("script errors and failed requests").isEmpty();
    }

    @Test
    void planKeepsTheFormTokenOutOfTheAddressAndTheFreshDemoLinkWaitsForADeploy() {
        long release = Jobs.versionOnlyRelease("ui-plan");
        open(DESKTOP, true);
        login("ui-dana", Api.USER_PASSWORD);
        page.navigate(url("environments/ui-dev"));
        page.selectOption("#deploy-release", Long.toString(release));
        page.locator("#plan-button").click();
        page.waitForURL("**/environments/ui-dev/plan?release=" + release);
        assertThat(page.url()).doesNotContain("csrf");

        page.navigate(url(""));
        Locator fresh = page.locator("[data-environment=ui-fresh]");
        assertThat(fresh).containsText("answers after the first deploy");
        assertThat(fresh.locator("a[href='http://localhost:23499/']")).hasCount(0);
        assertThat(page.request().get(url("favicon.ico")).status()).isEqualTo(200);
        assertThat(gzipEncoding("css/conveyor.css"))
                .as("the stylesheet's Content-Encoding")
                .isEqualTo("gzip");
        String stylesheet = page.locator("link[rel=stylesheet]").getAttribute("href");
        assertThat(stylesheet).matches("/css/conveyor\\.css\\?v=[0-9a-f]{12}");
        assertThat(page.request().get(url(stylesheet.substring(1))).headers().get("cache-control"))
                .isEqualTo("public, max-age=31536000, immutable");
        assertThat(page.request().get(url("css/conveyor.css?v=old")).headers().get("cache-control"))
                .isEqualTo("no-cache");

        page.navigate(url("environments/ui-prod"));
        assertThat(page.locator("#deploy-by-promotion")).containsText("through a promotion");
        assertThat(page.locator("#deploy-form")).hasCount(0);
        assertThat(scriptErrors).as("script errors and failed requests").isEmpty();
    }

    @Test
    void thePromoteFormListsStagesInOrderAndSaysWhereTheReleaseCannotGoYet() {
        long release = Jobs.versionOnlyRelease("ui-promote");
        Jobs.awaitFinished(Jobs.deploy("ui-dev", release), JOB);
        open(DESKTOP, true);
        login("ui-dana", Api.USER_PASSWORD);
        page.navigate(url("releases/" + release + "/promote"));
        List<String> options = page.locator("#promote-environment option").allTextContents();
        List<String> names = options.stream().map(o -> o.split(" ")[0]).toList();
        assertThat(names.indexOf("ui-dev")).isLessThan(names.indexOf("ui-staging"));
        assertThat(names.indexOf("ui-staging")).isLessThan(names.indexOf("ui-prod"));
        assertThat(page.locator("#promote-environment option[value=ui-prod]"))
                .containsText("needs a success in staging first");
        assertThat(page.locator("#promote-environment option[value=ui-prod]")).hasAttribute("disabled", "");
        assertThat(page.locator("#promote-environment option[value=ui-staging]:not([disabled])"))
                .hasCount(1);
        assertThat(page.locator("#promote-environment option[value=ui-dev]")).containsText("already runs it");
    }

    @Test
    void aLeadSeesAPromotionWaitingForThemAppearLiveInTheNavigationAndOnTheDashboard() {
        long release = Jobs.versionOnlyRelease("ui-approve");
        Jobs.awaitFinished(Jobs.deploy("ui-dev", release), JOB);
        Jobs.awaitFinished(Jobs.deploy("ui-staging", release), JOB);
        open(PHONE, true);
        login("ui-lead", Api.USER_PASSWORD);
        String before = page.locator("#approvals-count").textContent().trim();

        long promotion = Api.as("ui-dana", Api.USER_PASSWORD)
                .body(Map.of("release", release, "environment", "ui-prod"))
                .post("/api/promotions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");

        assertThat(page.locator("#approvals-count")).hasText(Integer.toString(Integer.parseInt(before) + 1));
        assertThat(page.locator("#approvals-count")).isVisible();
        assertThat(page.locator("#waiting-for-you [data-promotion='" + promotion + "']"))
                .containsText("release #" + release);
        shoot("dashboard-waiting", PHONE);
        assertThat(scriptErrors).as("script errors and failed requests").isEmpty();
    }

    @Test
    void thePipelineShowsWhereEachReleaseRanAndPromotesAnEnvironmentThatIsBehindInOneClick() {
        long release = Jobs.versionOnlyRelease("ui-pipeline");
        Jobs.awaitFinished(Jobs.deploy("ui-dev", release), JOB);
        open(PHONE, true);
        login("ui-dana", Api.USER_PASSWORD);

        page.navigate(url("pipeline"));
        int devColumn = page.locator("#pipeline-matrix thead th").allTextContents().stream()
                .map(String::trim)
                .toList()
                .indexOf(page.locator("#pipeline-matrix thead th[data-environment=ui-dev]")
                        .textContent()
                        .trim());
        Locator row = page.locator("#pipeline-matrix tr[data-release='" + release + "']");
        assertThat(row.locator("td").nth(devColumn - 1)).containsText("succeeded");
        assertThat(row.locator("td").nth(devColumn - 1)).containsText("live");
        assertThat(page.locator("#pipeline-matrix thead th[data-environment=ui-staging]"))
                .containsText("behind dev");
        shoot("pipeline", PHONE);

        page.navigate(url(""));
        Locator staging = page.locator("[data-environment=ui-staging]");
        assertThat(staging.locator(".behind")).containsText("behind dev");
        staging.locator("form.promote-one button").click();
        page.waitForURL("**/promotions/*");
        assertThat(page.locator("#promotion-job .badge"))
                .hasText("succeeded", new LocatorAssertions.HasTextOptions().setTimeout(60_000));
        assertThat(scriptErrors).as("script errors and failed requests").isEmpty();
    }

    // ---- helpers ----

    private void open(int width, boolean javaScript) {
        context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(width, width == PHONE ? 844 : 1000)
                .setJavaScriptEnabled(javaScript));
        page = context.newPage();
        page.onPageError(scriptErrors::add);
        page.onConsoleMessage(m -> {
            if (m.type().equals("error") && !m.text().startsWith("Failed to load resource")) {
                scriptErrors.add(m.text());
            }
        });
        page.onResponse(r -> {
            // A refused form answers 4xx on purpose; those requests are fetches, not pages.
            if (r.status() >= 400 && r.request().resourceType().equals("document")) {
                scriptErrors.add(r.status() + " " + r.url());
            }
            if (r.status() >= 400
                    && List.of("script", "stylesheet", "image")
                            .contains(r.request().resourceType())) {
                scriptErrors.add(r.status() + " " + r.url());
            }
        });
    }

    private void login(String user, String password) {
        page.navigate(url("login"));
        page.getByLabel("User name").fill(user);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                .click();
        page.waitForURL(url(""));
    }

    private void shoot(String name, int width) {
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve(name + "-" + width + ".png"))
                .setFullPage(true));
    }

    /** A journal step of a job on host {@code local}, started now. */
    private static void step(long job, Phase phase, String state) {
        QuarkusTransaction.requiringNew().run(() -> {
            JobStep step = new JobStep();
            step.jobId = job;
            step.phase = phase;
            step.host = "local";
            step.component = "app";
            step.action = phase.id();
            step.state = state.toUpperCase();
            step.persist();
            Job.<Job>findById(job).phase = phase;
        });
    }

    /** A job another (pretend) instance is running, with a lease far ahead so no one recovers it. */
    private static long runningJobOn(String environment) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = Job.queue(
                    Environment.findByName(environment).orElseThrow().id, JobType.DEPLOY, null, "admin", "held");
            job.start("browser-test", Instant.now().plus(Duration.ofHours(1)));
            job.persist();
            return job.id;
        });
    }

    /** A job that is already over (cancelled while queued, so no worker runs it) with a numbered log. */
    private long finishedJobWithLog(String environment, int lineCount, String prefix) {
        long id = QuarkusTransaction.requiringNew().call(() -> {
            Job job = Job.queue(
                    Environment.findByName(environment).orElseThrow().id, JobType.DEPLOY, null, "admin", "long log");
            job.cancel();
            job.persist();
            return job.id;
        });
        JobLog log = logs.open(id, List.of());
        for (int i = 1; i <= lineCount; i++) {
            log.append("local", "app", "stdout", prefix + "line " + i + " of the long log");
        }
        logs.close(log);
        return id;
    }

    /**
     * What axe-core finds of impact serious or critical on the page, one line each (rule, how many elements, the
     * first one). Its script is evaluated through the browser's debugging protocol, which the pages' content security
     * policy does not govern.
     */
    private List<String> seriousAccessibilityViolations() {
        if (page.evaluate("() => typeof window.axe").equals("undefined")) {
            page.evaluate(AXE);
        }
        @SuppressWarnings("unchecked")
        List<String> found = (List<String>) page.evaluate("""
                async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                  .filter(v => v.impact === 'serious' || v.impact === 'critical')
                  .map(v => v.id + ' (' + v.nodes.length + '): ' + v.nodes[0].target.join(' '))""");
        return found;
    }

    private static final String AXE = axeScript();

    private static String axeScript() {
        try (java.io.InputStream in =
                PagesInBrowserTest.class.getResourceAsStream("/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException(
                    "axe-core's script is not on the test classpath (org.webjars.npm:axe-core)", e);
        }
    }

    /** The Content-Encoding of a file asked for as a browser asks (a client that does not decompress by itself). */
    private String gzipEncoding(String path) {
        try {
            java.net.http.HttpResponse<Void> response = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path)))
                                    .header("Accept-Encoding", "gzip, deflate, br")
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
            return response.headers().firstValue("Content-Encoding").orElse("none");
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + "/" + path;
    }
}
