package org.cnx.conveyor.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How people may log in: local passwords, their rules and the throttling of failed logins ({@code conveyor.auth.*}). */
@ConfigMapping(prefix = "conveyor.auth")
public interface AuthConfig {

    /**
     * Whether local users may log in with a password, on the form and over HTTP Basic ({@code conveyor.auth.local-login}).
     * API tokens keep working when this is off.
     */
    @WithDefault("true")
    boolean localLogin();

    /** Rules for local passwords ({@code conveyor.auth.password.*}). */
    Password password();

    /** Throttling of failed logins ({@code conveyor.auth.throttle.*}). */
    Throttle throttle();

    /** Rules for local passwords. */
    interface Password {
        /** Fewest characters a password may have ({@code conveyor.auth.password.min-length}). */
        @WithDefault("10")
        int minLength();

        /** Most characters a password may have; bounds the cost of hashing ({@code conveyor.auth.password.max-length}). */
        @WithDefault("1024")
        int maxLength();
    }

    /** Throttling of failed logins. */
    interface Throttle {
        /** Failed logins for one user name within the window that lock it ({@code conveyor.auth.throttle.max-failures}). */
        @WithDefault("5")
        int maxFailures();

        /**
         * Failed logins from one client address within the window that lock the address, whatever the user names
         * ({@code conveyor.auth.throttle.max-failures-per-address}).
         */
        @WithDefault("20")
        int maxFailuresPerAddress();

        /** How far back failed logins are counted ({@code conveyor.auth.throttle.window}). */
        @WithDefault("15m")
        Duration window();

        /** How long a locked user name or address is refused ({@code conveyor.auth.throttle.lockout}). */
        @WithDefault("15m")
        Duration lockout();
    }
}
