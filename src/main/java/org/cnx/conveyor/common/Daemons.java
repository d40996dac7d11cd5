package org.cnx.conveyor.common;

import java.util.concurrent.ThreadFactory;

/** Thread factories for Conveyor's background pools: named, and daemons so they never hold the JVM open. */
public final class Daemons {

    private Daemons() {}

    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
