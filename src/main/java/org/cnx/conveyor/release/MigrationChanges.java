package org.cnx.conveyor.release;

import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/**
 * The migrations one release adds or removes compared with another, for the release diff: implemented by the
 * migrations feature, which reads them out of the releases' artifacts.
 */
public interface MigrationChanges {

    /**
     * What changes: {@code source} says whose recipe was read (environment, component, folder); {@code problem} says
     * why the sets could not be read (then both lists are empty).
     */
    record Changes(String source, List<String> added, List<String> removed, String problem) {

        public boolean none() {
            return problem == null && added.isEmpty() && removed.isEmpty();
        }
    }

    /** Empty when no environment's recipe names a migrations folder for a component either release pins. */
    Optional<Changes> between(ReleaseView from, ReleaseView to);
}
