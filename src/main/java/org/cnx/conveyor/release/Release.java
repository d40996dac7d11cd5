package org.cnx.conveyor.release;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An immutable, numbered bundle pinning one version and one artifact per component. */
@Entity
@Table(name = "releases")
public class Release extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    public String notes;

    @Column(name = "source_branch")
    public String sourceBranch;

    @Column(name = "source_commit")
    public String sourceCommit;

    @Column(name = "source_pull_request")
    public Integer sourcePullRequest;

    /** {@code owner/name} of the repository the source commit belongs to. */
    @Column(name = "source_repository")
    public String sourceRepository;

    /** When the source commit was made, when known: DORA's lead time runs from here. */
    @Column(name = "source_committed_at")
    public Instant sourceCommittedAt;

    @OneToMany(mappedBy = "release", cascade = CascadeType.PERSIST, fetch = FetchType.EAGER)
    @OrderBy("name")
    public List<ReleaseComponent> components = new ArrayList<>();

    public static Optional<Release> findByNumber(long id) {
        return findByIdOptional(id);
    }

    public Optional<ReleaseComponent> component(String name) {
        return components.stream().filter(c -> c.name.equals(name)).findFirst();
    }
}
