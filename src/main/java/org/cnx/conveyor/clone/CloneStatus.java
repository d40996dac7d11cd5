package org.cnx.conveyor.clone;

import java.util.Locale;

/** Whether a clone exists; what runs in it is its environment's business (its jobs say). */
public enum CloneStatus {
    ACTIVE,
    TEARING_DOWN,
    TORN_DOWN;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static CloneStatus parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
