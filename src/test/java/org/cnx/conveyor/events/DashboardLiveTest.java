package org.cnx.conveyor.events;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A person keeps the dashboard open while a deploy happens elsewhere: the demo card follows the events. */
@QuarkusTest
class DashboardLiveTest {

    private static Playwright playwright;
    private static Browser browser;

    @TestHTTPResource("/")
    URL base;

    @Inject
    EventPublisher events;

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

    @Test
    void theDashboardShowsDeploysAndDegradationAsTheyHappenWithoutReloading() {
        List<String> scriptErrors = new ArrayList<>();
        Page page = browser.newContext().newPage();
        page.onPageError(scriptErrors::add);
        page.navigate(base + "login");
        page.getByLabel("User name").fill("admin");
        page.getByLabel("Password").fill(Api.ADMIN_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                .click();
        page.waitForURL(base.toString());
        assertThat(page.locator("#live-status"))
                .containsText("Live", new LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
        page.evaluate("window.__notReloaded = true");
        Locator demo = page.locator("article.card[data-environment=demo]");

        publish(
                EventType.DEPLOY_STARTED,
                Map.of("job", 987654, "kind", "deploy", "environment", "demo", "release", 4321));
        assertThat(demo.locator("dd.last-job")).containsText("#987654 deploy running", within());

        publish(
                EventType.DEPLOY_SUCCEEDED,
                Map.of("job", 987654, "kind", "deploy", "environment", "demo", "release", 4321));
        assertThat(demo.locator("dd.last-job")).containsText("succeeded", within());
        assertThat(demo.locator("dd.release"))
                .hasText("#4321", new LocatorAssertions.HasTextOptions().setTimeout(20_000));

        publish(
                EventType.ENVIRONMENT_DEGRADED,
                Map.of("environment", "demo", "job", 987654, "hosts", "local: unknown"));
        assertThat(demo.locator(".degraded-warning")).isVisible();

        assertThat(page.evaluate("window.__notReloaded === true")).isEqualTo(true);
        assertThat(scriptErrors).isEmpty();
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Path.of("target", "screenshots", "dashboard-live.png"))
                .setFullPage(true));
        page.context().close();
    }

    private void publish(EventType type, Map<String, Object> data) {
        QuarkusTransaction.requiringNew()
                .run(() -> events.publish(type, "jobs/987654", "demo", new LinkedHashMap<>(data)));
    }

    private static LocatorAssertions.ContainsTextOptions within() {
        return new LocatorAssertions.ContainsTextOptions().setTimeout(20_000);
    }
}
