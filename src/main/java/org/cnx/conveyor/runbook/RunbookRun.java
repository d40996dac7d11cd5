package org.cnx.conveyor.runbook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The runbook a job runs and its validated parameters (JSON). */
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
}
