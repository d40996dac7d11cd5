package org.cnx.conveyor.release;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One component's pinned version and artifact within a release. */
@Entity
@Table(name = "release_components")
public class ReleaseComponent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "release_id")
    public Release release;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String version;

    @Column(name = "artifact_url")
    public String artifactUrl;

    @Column(name = "artifact_path")
    public String artifactPath;

    /** Null for a version-only pin, which the recipe installs by version (e.g. from a package index). */
    public String sha256;
}
