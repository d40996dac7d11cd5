package org.cnx.conveyor.release;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.events.EventPublisher;
import org.cnx.conveyor.events.EventType;
import org.cnx.conveyor.release.ReleaseViews.ComponentChange;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.release.ReleaseViews.NewRelease;
import org.cnx.conveyor.release.ReleaseViews.ReleaseDiff;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/** Creates releases (never changes them), lists them and compares two. */
@ApplicationScoped
@Transactional
public class ReleaseService {

    private final ReleaseValidator validator;
    private final EventPublisher events;

    private final AuditLog audit;

    ReleaseService(ReleaseValidator validator, EventPublisher events, AuditLog audit) {
        this.audit = audit;
        this.validator = validator;
        this.events = events;
    }

    public ReleaseView create(NewRelease request, String createdBy) {
        NewRelease valid = validator.validate(request);
        Release release = new Release();
        release.createdBy = createdBy;
        release.notes = valid.notes();
        if (valid.source() != null) {
            release.sourceBranch = valid.source().branch();
            release.sourceCommit = valid.source().commit();
            release.sourcePullRequest = valid.source().pullRequest();
            release.sourceRepository = valid.source().repository();
            release.sourceCommittedAt = valid.source().committedAt();
        }
        valid.components().forEach((name, pin) -> {
            ReleaseComponent component = new ReleaseComponent();
            component.release = release;
            component.name = name;
            component.version = pin.version();
            if (pin.artifact() != null) {
                component.artifactUrl = pin.artifact().url();
                component.artifactPath = pin.artifact().path();
                component.sha256 = pin.artifact().sha256();
            }
            release.components.add(component);
        });
        release.persist();
        ReleaseView view = ReleaseView.of(release);
        events.publish(EventType.RELEASE_CREATED, Subjects.release(release.id), null, view);
        audit.record(
                createdBy,
                "release.created",
                Subjects.release(release.id),
                String.join(
                        ", ",
                        view.components().entrySet().stream()
                                .map(c -> c.getKey() + " " + c.getValue().version())
                                .toList()));
        return view;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ReleaseView> list(int limit) {
        return Release.<Release>find("order by id desc").page(0, Math.max(1, Math.min(limit, 500))).list().stream()
                .map(ReleaseView::of)
                .toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ReleaseView> find(long id) {
        return Release.findByNumber(id).map(ReleaseView::of);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ReleaseView get(long id) {
        return find(id).orElseThrow(() -> new NotFound("no release " + id));
    }

    /** What changes when going from release {@code from} to release {@code to}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ReleaseDiff diff(long from, long to) {
        return diff(get(from), get(to));
    }

    public static ReleaseDiff diff(ReleaseView from, ReleaseView to) {
        TreeSet<String> names = new TreeSet<>(from.components().keySet());
        names.addAll(to.components().keySet());
        List<ComponentChange> changes = new ArrayList<>();
        for (String name : names) {
            ComponentPin before = from.components().get(name);
            ComponentPin after = to.components().get(name);
            changes.add(new ComponentChange(name, change(before, after), before, after));
        }
        return new ReleaseDiff(from.id(), to.id(), changes);
    }

    private static String change(ComponentPin before, ComponentPin after) {
        if (before == null) {
            return "added";
        }
        if (after == null) {
            return "removed";
        }
        boolean same = before.version().equals(after.version()) && Objects.equals(checksum(before), checksum(after));
        return same ? "unchanged" : "changed";
    }

    private static String checksum(ComponentPin pin) {
        return pin.artifact() == null ? null : pin.artifact().sha256();
    }

    /** Latest release that pins exactly these components and checksums, if any (lets start-up reuse one). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ReleaseView> findIdentical(Map<String, ComponentPin> components) {
        return Release.<Release>find("order by id desc").page(0, 20).list().stream()
                .map(ReleaseView::of)
                .filter(r -> r.components().keySet().equals(components.keySet())
                        && components.entrySet().stream().allMatch(e -> {
                            ComponentPin pin = r.components().get(e.getKey());
                            return pin.version().equals(e.getValue().version())
                                    && Objects.equals(checksum(pin), checksum(e.getValue()));
                        }))
                .findFirst();
    }
}
