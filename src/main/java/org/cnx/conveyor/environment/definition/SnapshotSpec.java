package org.cnx.conveyor.environment.definition;

import java.util.List;
import java.util.Optional;

/**
 * The {@code snapshots} settings of a source environment: the SQL scripts that scrub a copy of its database before the
 * copy is stored (in order, each in the same transaction), how many snapshots to keep, and when one is taken by itself.
 */
public record SnapshotSpec(int keep, List<String> scrub, Optional<Schedule> schedule) {

    public static final int DEFAULT_KEEP = 3;

    public SnapshotSpec {
        scrub = List.copyOf(scrub);
    }
}
