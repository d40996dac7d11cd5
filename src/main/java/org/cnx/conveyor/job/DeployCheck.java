package org.cnx.conveyor.job;

/**
 * Checks a deploy or rollback request must pass before it is queued, and a cancel before it is done (other features
 * implement them as CDI beans); a failed check throws a {@link org.cnx.conveyor.common.DomainException} saying what is
 * wrong and how to proceed. {@link JobService} runs them on every path (API, page forms, clones, promotions), so
 * what a caller may do to an environment is decided in one place.
 */
public interface DeployCheck {

    /**
     * Whether the caller may start this kind of job on the environment at all; runs first, before anything about the
     * environment's state is looked at, so a refusal does not depend on it.
     *
     * @param direct the request comes from a person, not from an approved promotion
     */
    default void permit(String environment, JobType type, boolean direct) {}

    /**
     * Whether the caller may cancel a queued or running job of this type on the environment.
     *
     * @param direct the job was asked for by a person, not started by an approved promotion
     */
    default void permitCancel(String environment, JobType type, boolean direct) {}

    /** Whether this particular release can go to the environment now. */
    default void check(DeployRequest request) {}
}
