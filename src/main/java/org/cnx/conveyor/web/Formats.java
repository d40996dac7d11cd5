package org.cnx.conveyor.web;

import io.quarkus.qute.TemplateExtension;
import java.time.Duration;
import java.time.Instant;

/**
 * Formats every page shares, as {@code {fmt:ago(instant)}}, {@code {fmt:duration(from, to)}} and
 * {@code {fmt:address(text)}}; the {@code ago} tag puts a relative time and its absolute one (on hover) together.
 */
@TemplateExtension(namespace = "fmt")
public final class Formats {

    private Formats() {}

    /** "just now", "5 minutes ago", "3 days ago": relative to the moment the page is rendered. */
    static String ago(Instant at) {
        return at == null ? "" : ago(at, Instant.now());
    }

    static String ago(Instant at, Instant now) {
        long seconds = Duration.between(at, now).getSeconds();
        if (seconds < 0) {
            return "in " + span(-seconds);
        }
        return seconds < 45 ? "just now" : span(seconds) + " ago";
    }

    /** How long from one instant to another (or to now while it runs): "42 s", "3 min 5 s", "2 h 10 min". */
    static String duration(Instant from, Instant to) {
        if (from == null) {
            return "";
        }
        long s = Duration.between(from, to == null ? Instant.now() : to).getSeconds();
        if (s < 60) {
            return Math.max(s, 0) + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }

    static String address(String address) {
        return address == null ? "" : ClientAddress.shown(address);
    }

    private static String span(long seconds) {
        if (seconds < 90) {
            return plural(Math.max(1, seconds / 60 + (seconds % 60 >= 30 ? 1 : 0)), "minute");
        }
        if (seconds < 3600) {
            return plural(Math.round(seconds / 60.0), "minute");
        }
        if (seconds < 86_400) {
            return plural(Math.round(seconds / 3600.0), "hour");
        }
        if (seconds < 86_400 * 45) {
            return plural(Math.round(seconds / 86_400.0), "day");
        }
        return plural(Math.round(seconds / (86_400 * 30.0)), "month");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
