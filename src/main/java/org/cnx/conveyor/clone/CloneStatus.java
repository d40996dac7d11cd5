package org.cnx.conveyor.clone;

import jakarta.persistence.Converter;
import java.util.Locale;
import org.cnx.conveyor.common.StatusColumn;

/** Whether a clone exists; what runs in it is its environment's business (its jobs say). */
public enum CloneStatus {
    ACTIVE,
    TEARING_DOWN,
    TORN_DOWN;

    /** The word stored in {@code clones.status} and shown on pages and in the API. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return id();
    }

    /** {@code clones.status} holds {@link #id()}. */
    @Converter
    public static final class Stored extends StatusColumn<CloneStatus> {
        public Stored() {
            super(CloneStatus.class, CloneStatus::id);
        }
    }
}
