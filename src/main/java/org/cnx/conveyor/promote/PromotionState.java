package org.cnx.conveyor.promote;

import java.util.Locale;

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

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PromotionState parse(String value) {
        for (PromotionState state : values()) {
            if (state.id().equalsIgnoreCase(value)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown promotion state \"" + value + "\", expected pending, approved, rejected or cancelled");
    }
}
