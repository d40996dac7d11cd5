package org.cnx.conveyor.common;

/**
 * What an event or an audit entry is about, in the one scheme both use: a collection and a name, as in the API's
 * paths ({@code environments/staging}, {@code releases/42}).
 */
public final class Subjects {

    private Subjects() {}

    public static String environment(String name) {
        return "environments/" + name;
    }

    public static String release(long id) {
        return "releases/" + id;
    }

    public static String job(long id) {
        return "jobs/" + id;
    }

    public static String promotion(long id) {
        return "promotions/" + id;
    }

    public static String subscription(long id) {
        return "subscriptions/" + id;
    }

    public static String user(String name) {
        return "users/" + name;
    }

    public static String secret(String name) {
        return "secrets/" + name;
    }

    public static String artifact(String sha256) {
        return "artifacts/" + sha256;
    }
}
