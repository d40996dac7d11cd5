package org.cnx.conveyor.deploy;

import static org.cnx.conveyor.transport.Shell.quote;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Health-check commands, run on the host itself (where {@code 127.0.0.1} means that host). */
final class HealthChecks {

    private static final String PYTHON_GET =
            "import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2]))";

    private HealthChecks() {}

    /** Succeeds when the URL answers 2xx/3xx within the timeout: curl where installed, else python3. */
    static String http(String url, Duration timeout) {
        String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
        return "if command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null --max-time " + seconds + " "
                + quote(url) + "; else python3 -c " + quote(PYTHON_GET) + " " + quote(url) + " " + seconds + "; fi";
    }

    /** Waits between health-check attempts. */
    static void pause(Duration interval) {
        try {
            TimeUnit.MILLISECONDS.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
