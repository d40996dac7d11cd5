package org.cnx.conveyor.promote;

import jakarta.persistence.Converter;
import java.util.Locale;
import org.cnx.conveyor.common.StatusColumn;

/** Where a promotion stands; only {@link #PENDING} ones take approvals. */
public enum PromotionState {
    /** Waiting for approvals. */
    PENDING,
    /** Approved (or needing none): its deploy job was queued. */
    APPROVED,
    /** A lead refused it, with a reason. */
    REJECTED,
    /** Withdrawn by the requester or an admin. */
    CANCELLED;

    /** The word shown on pages and in the API (the table holds the constant's name). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }

    public static PromotionState parse(String value) {
        for (PromotionState state : values()) {
            if (state.id().equalsIgnoreCase(value)) {
                return state;
            }
        }
        throw new IllegalArgumentException(
                "unknown promotion state \"" + value + "\", expected pending, approved, rejected or cancelled");
    }

    /** {@code promotions.state} holds the constant's name ({@code PENDING}), as it always has. */
    @Converter
    public static final class Stored extends StatusColumn<PromotionState> {
        public Stored() {
            super(PromotionState.class, PromotionState::name);
        }
    }
}
