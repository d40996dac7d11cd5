package org.cnx.conveyor.artifact;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.cnx.conveyor.cluster.OnceAcrossInstances;

/** Deletes uploaded artifacts that no release references once their retention has passed, on one instance at a time. */
@ApplicationScoped
class UploadSweeper {

    private final ArtifactUploads uploads;

    UploadSweeper(ArtifactUploads uploads) {
        this.uploads = uploads;
    }

    @Scheduled(
            every = "${conveyor.uploads.sweep-every}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @OnceAcrossInstances
    void sweep() {
        uploads.sweep();
    }
}
