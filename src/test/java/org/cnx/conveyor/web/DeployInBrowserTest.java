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
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.job.Job;
import org.cnx.conveyor.job.JobLog;
import org.cnx.conveyor.job.JobLogStore;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Chromium;
import org.cnx.conveyor.support.SampleStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A person deploys the demo environment from the browser and watches the job page follow it live. */
@QuarkusTest
class DeployInBrowserTest {

    private static final Path DEMO_ROOT =
            Path.of("target", "test-data", "hosts", "demo").toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final double DEPLOY_TIMEOUT_MS = 120_000;

    private static Playwright playwright;
    private static Browser browser;

    @TestHTTPResource("/")
    URL base;

    @Inject
    JobLogStore logs;

    private BrowserContext context;
    private Page page;
    private final List<String> scriptErrors = new ArrayList<>();

    @BeforeAll
    static void launchChromiumOnAFreshDemoHost() throws IOException {
        // Release numbers restart with each test database, so folders prepared by an earlier run would be reused
        // and the deploy would skip its install step.
        SampleStack.stopAll(DEMO_ROOT);
        if (Files.exists(DEMO_ROOT)) {
            try (Stream<Path> files = Files.walk(DEMO_ROOT)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        playwright = Playwright.create();
        // Playwright gives every launch a fresh temporary profile, so no --user-data-dir here.
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void closeChromiumAndStopTheSampleStack() {
        if (playwright != null) {
            playwright.close();
        }
        SampleStack.stopAll(DEMO_ROOT);
    }

    @BeforeEach
    void openPage() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1000));
        page = context.newPage();
        page.onPageError(scriptErrors::add);
        page.onConsoleMessage(m -> {
            if (m.type().equals("error") && !m.text().startsWith("Failed to load resource")) {
                scriptErrors.add(m.text());
            }
        });
        // Neither site has a favicon; any other failed request is a broken page.
        page.onResponse(r -> {
            if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) {
                scriptErrors.add(r.status() + " " + r.url());
            }
        });
    }

    @AfterEach
    void closePage(org.junit.jupiter.api.TestInfo test) {
        // Always keep a picture of where the page ended up: it explains a failure faster than a stack trace.
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve(
                        "last-" + test.getTestMethod().orElseThrow().getName() + ".png"))
                .setFullPage(true));
        context.close();
    }

    @Test
    void deployingTheDemoShowsTheLogLiveAndEndsWithTheNewReleaseRunning() {
        long release = Api.copyOfRelease(Api.newestConveyorRelease());

        loginAsAdmin();
        page.navigate(url("environments/demo"));
        page.selectOption("#deploy-release", Long.toString(release));
        page.locator("#deploy-button").click();
        page.waitForURL("**/jobs/*");
        String jobUrl = page.url();

        // Read the first install line and the status badge in one look, so the line is known to come while running.
        Object statusWhenInstallShown = page.waitForFunction(
                        """
                () => {
                  const line = [...document.querySelectorAll('#log-lines .line')].find(l => l.textContent.includes('install:'));
                  return line ? document.getElementById('job-status').textContent : null;
                }""", null, new Page.WaitForFunctionOptions().setTimeout(DEPLOY_TIMEOUT_MS))
                .jsonValue();
        assertThat(statusWhenInstallShown).isIn("queued", "running");

        assertThat(page.locator("#grid td.cell.done").first()).isVisible(visibleWithin());
        assertThat(page.locator("#job-status"))
                .hasText("succeeded", new LocatorAssertions.HasTextOptions().setTimeout(DEPLOY_TIMEOUT_MS));
        assertThat(page.locator("#grid td.cell.started")).hasCount(0);
        assertThat(page.locator("#grid td.cell.failed")).hasCount(0);
        assertThat(page.locator(
                        "#log-lines .line.conveyor",
                        new Page.LocatorOptions().setHasText("committed: demo now runs release " + release)))
                .isVisible(visibleWithin());
        assertThat(page.locator("#cancel-form")).hasCount(0);
        assertThat(page.locator("#site-link")).isVisible();
        assertThat(page.url()).as("the page followed the job without reloading").isEqualTo(jobUrl);

        page.getByLabel("Search").fill("install:");
        assertThat(page.locator("#log-lines .line:visible mark").first()).hasText("install:");
        assertThat(page.locator("#log-lines .line:visible:not(:has-text('install:'))"))
                .hasCount(0);
        page.getByLabel("Search").fill("");
        assertThat(page.locator("#log-lines .line:visible:not(:has-text('install:'))")
                        .first())
                .isVisible();

        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve("job-page.png"))
                .setFullPage(true));

        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("demo").setExact(true))
                .click();
        assertThat(page.locator("#history tbody tr").first()).containsText("#" + release);
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve("environment-page.png"))
                .setFullPage(true));
        page.navigate(url(""));
        assertThat(page.locator("[data-environment=demo]")).containsText("succeeded");
        page.navigate(url("environments/demo"));
        page.locator("a[href='http://localhost:18080/']").click();
        assertThat(page.locator("body")).containsText("Release " + release);

        assertThat(scriptErrors).as("script errors and failed requests").isEmpty();
    }

    @Test
    void aLongLogOpensWithItsTailAndPagesBackOnRequest() {
        long job = finishedJobWithLog(2_500);
        loginAsAdmin();
        page.navigate(url("jobs/" + job));

        Locator lines = page.locator("#log-lines .line");
        assertThat(lines).hasCount(200);
        assertThat(lines.last()).containsText("line 2500 of the long log");
        page.locator("#load-earlier").click();
        assertThat(lines).hasCount(1_200);
        assertThat(lines.first()).containsText("line 1301 of the long log");
        page.locator("#load-earlier").click();
        page.locator("#load-earlier").click();
        assertThat(lines).hasCount(2_500);
        assertThat(lines.first()).containsText("line 1 of the long log");
        assertThat(page.locator("#load-earlier")).isHidden();
        assertThat(page.locator("#job-status")).hasText("cancelled");
        assertThat(scriptErrors).as("script errors and failed requests").isEmpty();
    }

    /** A job that is already over (cancelled while queued, so no worker runs it) with a numbered log. */
    private long finishedJobWithLog(int lineCount) {
        long id = QuarkusTransaction.requiringNew().call(() -> {
            Job job = Job.queue(
                    Environment.findByName("demo").orElseThrow().id, JobType.DEPLOY, null, "admin", "long log");
            job.cancel();
            job.persist();
            return job.id;
        });
        JobLog log = logs.open(id, List.of());
        for (int i = 1; i <= lineCount; i++) {
            log.append("local", "webview", "stdout", "line " + i + " of the long log");
        }
        logs.close(log);
        return id;
    }

    private void loginAsAdmin() {
        page.navigate(url("login"));
        page.getByLabel("User name").fill("admin");
        page.getByLabel("Password").fill(Api.ADMIN_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                .click();
        page.waitForURL(url(""));
    }

    private static LocatorAssertions.IsVisibleOptions visibleWithin() {
        return new LocatorAssertions.IsVisibleOptions().setTimeout(DEPLOY_TIMEOUT_MS);
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + "/" + path;
    }
}
