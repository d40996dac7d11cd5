package org.cnx.conveyor.rollout;

import java.util.Locale;

/** The states Conveyor puts a load-balanced server in, named as haproxy's runtime API names them. */
public enum ServerState {
    /** Takes no new requests; the ones in flight finish. Conveyor waits until the server has no sessions left. */
    DRAIN,
    /** Takes requests again. Conveyor waits until the load balancer sees it up. */
    READY,
    /** Takes no requests at all: with every server of a backend in maint, haproxy serves its maintenance page. */
    MAINT;

    /** The word in {@code set server <backend>/<server> state <word>} and in the hook's environment. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
