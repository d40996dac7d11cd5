package org.cnx.conveyor.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.release.ReleaseHistory;

/** A release's deploy history read from the jobs that carried it. */
@ApplicationScoped
class ReleaseJobHistory implements ReleaseHistory {

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Deploy> deploysOf(long releaseId, int limit) {
        return Job.<Job>find("releaseId = ?1 order by createdAt desc, id desc", releaseId)
                .page(0, limit)
                .list()
                .stream()
                .map(job -> new Deploy(
                        job.id,
                        Environment.<Environment>findByIdOptional(job.environmentId)
                                .map(env -> env.name)
                                .orElse("#" + job.environmentId),
                        job.type().id(),
                        job.status().id(),
                        job.requestedBy,
                        job.createdAt,
                        job.startedAt,
                        job.finishedAt))
                .toList();
    }
}
