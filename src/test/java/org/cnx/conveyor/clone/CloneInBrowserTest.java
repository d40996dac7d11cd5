package org.cnx.conveyor.clone;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PageAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Chromium;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.SampleStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A developer spins up their clone from the dashboard, watches it deploy, and opens their own copy of the site. */
@QuarkusTest
class CloneInBrowserTest {

    private static final Path HOSTS = Path.of("target", "test-data", "hosts").toAbsolutePath();
    private static final double DEPLOY_TIMEOUT_MS = 120_000;

    private static Playwright playwright;
    private static Browser browser;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void launchChromium() {
        playwright = Playwright.create();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void closeChromiumAndStopTheStacks() {
        if (playwright != null) {
            playwright.close();
        }
        SampleStack.stopAll(HOSTS.resolve("dev-browser-dev"));
        SampleStack.stopAll(HOSTS.resolve("demo"));
    }

    @Test
    void aDeveloperSpinsUpTheirCloneAndOpensIt() {
        Api.ensureUser("browser-dev", "developer");
        long release = ensureDevRunsARelease();
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1000));
        Page page = context.newPage();
        try {
            page.navigate(url("login"));
            page.getByLabel("User name").fill("browser-dev");
            page.getByLabel("Password").fill(Api.USER_PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                    .click();
            page.waitForURL(url(""));

            // The release named, not "the latest that succeeded in dev": other tests' dev environments run releases
            // of other components, and which one is newest depends on the order the test classes run in.
            page.navigate(url("clones"));
            page.locator("#clone-release").selectOption(Long.toString(release));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Spin up my clone"))
                    .click();
            // The form is posted by the page's script, which then goes to the job: wait on the address itself.
            assertThat(page)
                    .hasURL(
                            java.util.regex.Pattern.compile(".*/jobs/\\d+.*"),
                            new PageAssertions.HasURLOptions().setTimeout(DEPLOY_TIMEOUT_MS));
            assertThat(page.locator("#job-status"))
                    .hasText("succeeded", new LocatorAssertions.HasTextOptions().setTimeout(DEPLOY_TIMEOUT_MS));

            page.getByRole(
                            AriaRole.LINK,
                            new Page.GetByRoleOptions().setName("Clones").setExact(true))
                    .click();
            assertThat(page.locator("[data-clone=dev-browser-dev]")).containsText("Release: #");
            page.locator("[data-clone=dev-browser-dev] a.demo-link").click();
            assertThat(page.locator("body")).containsText("Clone of browser-dev");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "clone-site.png")));

            page.navigate(url("clones"));
            page.locator("[data-clone=dev-browser-dev]")
                    .getByRole(
                            AriaRole.BUTTON,
                            new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Tear down"))
                    .click();
            assertThat(page.locator("#confirm-dialog-text")).containsText("Tear down clone dev-browser-dev?");
            page.locator("#confirm-dialog-yes").click();
            page.waitForURL("**/jobs/*");
            assertThat(page.locator("#job-status"))
                    .hasText("succeeded", new LocatorAssertions.HasTextOptions().setTimeout(DEPLOY_TIMEOUT_MS));
            page.navigate(url("clones"));
            assertThat(page.locator("#no-clone")).isVisible();
        } finally {
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Path.of("target", "screenshots", "last-clone-in-browser.png"))
                    .setFullPage(true));
            context.close();
        }
    }

    /** A new clone runs what the dev stage runs: make sure the demo environment has run a release. */
    /** The release the demo (a dev environment) runs, deploying the newest sample release first if it runs none. */
    private static long ensureDevRunsARelease() {
        Object live = Api.asAdmin()
                .get("/api/environments/demo")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .get("summary.currentRelease");
        if (live == null) {
            long release = Api.newestConveyorRelease();
            Jobs.awaitFinished(Jobs.deploy("demo", release), Duration.ofSeconds(120));
            return release;
        }
        return ((Number) live).longValue();
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + "/" + path;
    }
}
