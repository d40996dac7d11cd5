package org.cnx.conveyor.preview;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/** Queues commit statuses for GitHub in the transaction of the change they report; {@link CommitStatusSender} sends them. */
@ApplicationScoped
public class CommitStatuses {

    private static final Logger LOG = Logger.getLogger(CommitStatuses.class);

    private final GitHubConfig config;

    CommitStatuses(GitHubConfig config) {
        this.config = config;
    }

    /** Queues a status for the commit; without a token configured, nothing is reported. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void report(String repository, String sha, String state, String targetUrl, String description) {
        if (config.token().filter(t -> !t.isBlank()).isEmpty()) {
            LOG.debugf("No conveyor.github.token: commit status %s of %s not reported", state, sha);
            return;
        }
        CommitStatus status = new CommitStatus();
        status.repository = repository;
        status.sha = sha;
        status.state = state;
        status.targetUrl = targetUrl;
        // GitHub refuses descriptions longer than 140 characters.
        status.description = description.length() <= 140 ? description : description.substring(0, 139) + "…";
        status.context = config.statusContext();
        status.persist();
    }

    /** A link into Conveyor's pages, for a status's target URL. */
    String link(String path) {
        return config.conveyorUrl().replaceAll("/+$", "") + path;
    }
}
