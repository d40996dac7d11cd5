package org.cnx.conveyor.auth;

import java.time.Duration;

/** The answer to a login attempt: the user when it succeeded, else why not, in words for the person trying. */
public record LoginOutcome(Result result, User user, Duration retryAfter, String message) {

    /** Routing-context attribute holding the outcome of a throttled HTTP Basic login. */
    static final String THROTTLED_ATTRIBUTE = "conveyor.login.throttled";

    /** How a login attempt ended. */
    public enum Result {
        SUCCEEDED,
        FAILED,
        THROTTLED,
        LOCAL_LOGIN_OFF
    }

    static LoginOutcome succeeded(User user) {
        return new LoginOutcome(Result.SUCCEEDED, user, null, null);
    }

    static LoginOutcome failed() {
        return new LoginOutcome(Result.FAILED, null, null, "Wrong user name or password.");
    }

    /** A single sign-on login Conveyor cannot accept, with the reason. */
    static LoginOutcome refused(String message) {
        return new LoginOutcome(Result.FAILED, null, null, message);
    }

    static LoginOutcome localLoginOff() {
        return new LoginOutcome(
                Result.LOCAL_LOGIN_OFF,
                null,
                null,
                "Password login is switched off here; use single sign-on or an API token.");
    }

    static LoginOutcome throttled(Duration retryAfter) {
        long minutes = Math.max(1, (retryAfter.toSeconds() + 59) / 60);
        return new LoginOutcome(
                Result.THROTTLED,
                null,
                retryAfter,
                "Too many failed logins for this account or address; try again in " + minutes
                        + (minutes == 1 ? " minute." : " minutes."));
    }

    public boolean succeeded() {
        return result == Result.SUCCEEDED;
    }

    /** Seconds for a {@code Retry-After} header, rounded up. */
    public long retryAfterSeconds() {
        return retryAfter == null ? 0 : Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
