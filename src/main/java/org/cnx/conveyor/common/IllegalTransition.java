package org.cnx.conveyor.common;

import java.util.Set;

/**
 * A status change the lifecycle does not allow (cancelling a finished job, approving a rejected promotion): the one
 * exception every status transition throws, a {@link DomainException.Conflict} so it is answered with 409.
 */
public final class IllegalTransition extends DomainException.Conflict {

    public IllegalTransition(String detail) {
        super(detail);
    }

    /** Refuses {@code transition} of {@code subject} ("job 7") unless its status {@code from} is one of {@code allowed}. */
    public static <S extends Enum<S>> void unlessIn(Set<S> allowed, S from, String subject, String transition) {
        if (!allowed.contains(from)) {
            throw new IllegalTransition(subject + " cannot " + transition + ": it is " + from);
        }
    }
}
