package org.cnx.conveyor.job;

/**
 * Checks a deploy or rollback request must pass before it is queued (other features implement them as CDI beans); a
 * failed check throws a {@link org.cnx.conveyor.web.ProblemException} saying what is wrong and how to proceed.
 */
public interface DeployCheck {

    /**
     * Whether the caller may start this kind of job on the environment at all; runs first, before anything about the
     * environment's state is looked at, so a refusal does not depend on it.
     *
     * @param direct the request comes from a person, not from an approved promotion
     */
    default void permit(String environment, JobType type, boolean direct) {
    }

    /** Whether this particular release can go to the environment now. */
    default void check(DeployRequest request) {
    }
}
