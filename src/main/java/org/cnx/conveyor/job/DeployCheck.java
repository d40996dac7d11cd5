package org.cnx.conveyor.job;

/**
 * A check a deploy request must pass before it is queued (other features implement it as CDI beans); a failed check
 * throws a {@link org.cnx.conveyor.web.ProblemException} saying what is wrong and how to proceed.
 */
public interface DeployCheck {

    void check(DeployRequest request);
}
