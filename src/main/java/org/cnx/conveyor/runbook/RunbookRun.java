package org.cnx.conveyor.runbook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The runbook a job runs and its validated parameters (JSON, secret ones as "****" and sealed apart). */
@Entity
@Table(name = "runbook_runs")
public class RunbookRun extends PanacheEntityBase {

    @Id
    @Column(name = "job_id")
    public Long jobId;

    @Column(nullable = false)
    public String runbook;

    @Column(nullable = false)
    public String parameters;

    @Column(name = "secrets_nonce")
    public byte[] secretsNonce;

    @Column(name = "secrets_ciphertext")
    public byte[] secretsCiphertext;

    /** The AES-GCM associated data of the run's sealed secrets: a ciphertext copied to another run does not open. */
    static String sealName(long jobId) {
        return "runbook-runs/" + jobId;
    }
}
