package org.cnx.conveyor.freeze;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.ConveyorConfig;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.DomainException.Forbidden;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentHolds;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.freeze.FreezeWindow.Interval;

/** Deploy freeze windows and environment locks: kept, checked, and told to whoever looks at an environment. */
@ApplicationScoped
public class Holds implements EnvironmentHolds {

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})([mhd])");
    private static final int MAX_REASON = 500;

    /** A freeze as the API shows it: its rule, and when it is or will next be in force. */
    public record FreezeView(
            long id,
            String environment,
            String stage,
            String cron,
            Long durationSeconds,
            String zone,
            Instant from,
            Instant to,
            String reason,
            String createdBy,
            Instant createdAt,
            Instant activeUntil,
            Instant nextFrom,
            Instant nextTo) {}

    /** A freeze to create: exactly one of environment or stage; cron with duration (and zone), or from–to. */
    public record FreezeRequest(
            String environment,
            String stage,
            String cron,
            String duration,
            String zone,
            Instant from,
            Instant to,
            String reason) {}

    /** The lock of an environment. */
    public record LockView(String environment, String reason, String lockedBy, Instant lockedAt, Instant expiresAt) {}

    /** A freeze in force now, and until when. */
    public record ActiveFreeze(Freeze freeze, Interval interval) {
        String describe() {
            return "freeze #" + freeze.id + " (\"" + freeze.reason + "\", "
                    + (freeze.environment != null ? "environment " + freeze.environment : "stage " + freeze.stage)
                    + ") until " + interval.to();
        }
    }

    private final EnvironmentService environments;
    private final ConveyorConfig config;
    private final AuditLog audit;
    private final Clock clock;

    Holds(EnvironmentService environments, ConveyorConfig config, AuditLog audit) {
        this.environments = environments;
        this.config = config;
        this.audit = audit;
        this.clock = Clock.systemUTC();
    }

    public FreezeView create(FreezeRequest request, String by) {
        Freeze freeze = validated(request, by);
        QuarkusTransaction.requiringNew().run(() -> {
            freeze.persist();
            audit.record(by, "freeze.created", target(freeze), describe(freeze));
        });
        return view(freeze, clock.instant());
    }

    public void delete(long id, String by) {
        QuarkusTransaction.requiringNew().run(() -> {
            Freeze freeze =
                    Freeze.<Freeze>findByIdOptional(id).orElseThrow(() -> new NotFound("there is no freeze #" + id));
            freeze.delete();
            audit.record(by, "freeze.deleted", target(freeze), describe(freeze));
        });
    }

    public List<FreezeView> freezes() {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew()
                .call(() -> Freeze.<Freeze>listAll().stream()
                        .map(f -> view(f, now))
                        .sorted(Comparator.comparing(FreezeView::id))
                        .toList());
    }

    /** The freeze covering the environment now, if any (the one in force longest, when several are). */
    public Optional<ActiveFreeze> activeFreeze(String environment) {
        return activeFreeze(environment, clock.instant());
    }

    /** The freeze covering the environment at {@code now}, if any. */
    public Optional<ActiveFreeze> activeFreeze(String environment, Instant now) {
        String stage = environments.definition(environment).stage();
        return QuarkusTransaction.requiringNew()
                .call(() -> Freeze.covering(environment, stage).stream()
                        .flatMap(f -> f.window().activeAt(now).map(i -> new ActiveFreeze(f, i)).stream())
                        .max(Comparator.comparing(a -> a.interval().to())));
    }

    public LockView lock(String environment, String reason, Instant expiresAt, String by) {
        String why = reason(reason);
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new Invalid("expiresAt: expected a time in the future, found " + expiresAt);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Environment env = environments.byName(environment);
            Optional<EnvironmentLock> held =
                    EnvironmentLock.<EnvironmentLock>findByIdOptional(env.id).filter(l -> l.inForce(now));
            if (held.isPresent() && !held.get().lockedBy.equals(by)) {
                throw new Conflict(
                        describe(environment, held.get()) + "; only its author, a lead or its expiry lifts it");
            }
            EnvironmentLock.deleteById(env.id);
            EnvironmentLock lock = new EnvironmentLock();
            lock.environmentId = env.id;
            lock.reason = why;
            lock.lockedBy = by;
            lock.lockedAt = now;
            lock.expiresAt = expiresAt;
            lock.persist();
            audit.record(
                    by,
                    "environment.locked",
                    Subjects.environment(environment),
                    why + (expiresAt == null ? "" : " (until " + expiresAt + ")"));
            return view(environment, lock);
        });
    }

    /** Lifts the lock: its author, a lead or an admin may. */
    public void unlock(String environment, String by, boolean leadOrAdmin) {
        QuarkusTransaction.requiringNew().run(() -> {
            Environment env = environments.byName(environment);
            EnvironmentLock lock = EnvironmentLock.<EnvironmentLock>findByIdOptional(env.id)
                    .orElseThrow(() -> new NotFound("environment \"" + environment + "\" is not locked"));
            if (!lock.lockedBy.equals(by) && !leadOrAdmin) {
                throw new Forbidden("only " + lock.lockedBy
                        + " (who locked it), a lead or an admin may lift the lock of " + environment);
            }
            lock.delete();
            audit.record(by, "environment.unlocked", Subjects.environment(environment), lock.reason);
        });
    }

    /** The lock in force on the environment, if any (an expired one is not). */
    public Optional<LockView> lockOf(String environment) {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew()
                .call(() -> EnvironmentLock.<EnvironmentLock>findByIdOptional(environments.byName(environment).id)
                        .filter(l -> l.inForce(now))
                        .map(l -> view(environment, l)));
    }

    static String describe(String environment, EnvironmentLock lock) {
        return "environment \"" + environment + "\" is locked by " + lock.lockedBy + " since " + lock.lockedAt + ": "
                + lock.reason + (lock.expiresAt == null ? "" : " (until " + lock.expiresAt + ")");
    }

    @Override
    public List<String> notices(String environment) {
        List<String> notices = new ArrayList<>();
        lockOf(environment)
                .ifPresent(l -> notices.add("Locked by " + l.lockedBy() + " since " + l.lockedAt() + ": " + l.reason()
                        + (l.expiresAt() == null ? "" : " (until " + l.expiresAt() + ")")));
        activeFreeze(environment)
                .ifPresent(
                        a -> notices.add("Deploys frozen until " + a.interval().to() + ": " + a.freeze().reason));
        nextFreeze(environment).ifPresent(n -> notices.add("Next freeze " + n.from() + " – " + n.to()));
        return notices;
    }

    /** Every environment's notices with one read of the locks and one of the freezes (the dashboard lists them all). */
    @Override
    public Map<String, List<String>> notices(Collection<String> names) {
        Instant now = clock.instant();
        List<Freeze> freezes = QuarkusTransaction.requiringNew().call(() -> Freeze.<Freeze>listAll());
        Map<Long, EnvironmentLock> locks = QuarkusTransaction.requiringNew()
                .call(() -> EnvironmentLock.<EnvironmentLock>listAll().stream()
                        .filter(l -> l.inForce(now))
                        .collect(Collectors.toMap(l -> l.environmentId, l -> l)));
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (String name : names) {
            List<String> notices = new ArrayList<>();
            if (!locks.isEmpty()) {
                Optional.ofNullable(locks.get(environments.byName(name).id))
                        .ifPresent(l -> notices.add(lockNotice(view(name, l))));
            }
            if (!freezes.isEmpty()) {
                String stage = environments.definition(name).stage();
                List<Freeze> covering = freezes.stream()
                        .filter(f -> name.equals(f.environment) || stage.equals(f.stage))
                        .toList();
                covering.stream()
                        .flatMap(f -> f.window().activeAt(now).map(i -> new ActiveFreeze(f, i)).stream())
                        .max(Comparator.comparing(a -> a.interval().to()))
                        .ifPresent(a -> notices.add(freezeNotice(a)));
                covering.stream()
                        .flatMap(f -> f.window().nextAfter(now).stream())
                        .min(Comparator.comparing(Interval::from))
                        .ifPresent(n -> notices.add(nextNotice(n)));
            }
            all.put(name, notices);
        }
        return all;
    }

    private static String lockNotice(LockView l) {
        return "Locked by " + l.lockedBy() + " since " + l.lockedAt() + ": " + l.reason()
                + (l.expiresAt() == null ? "" : " (until " + l.expiresAt() + ")");
    }

    private static String freezeNotice(ActiveFreeze a) {
        return "Deploys frozen until " + a.interval().to() + ": " + a.freeze().reason;
    }

    private static String nextNotice(Interval n) {
        return "Next freeze " + n.from() + " – " + n.to();
    }

    private Optional<Interval> nextFreeze(String environment) {
        String stage = environments.definition(environment).stage();
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew()
                .call(() -> Freeze.covering(environment, stage).stream()
                        .flatMap(f -> f.window().nextAfter(now).stream())
                        .min(Comparator.comparing(Interval::from)));
    }

    private Freeze validated(FreezeRequest request, String by) {
        boolean hasEnvironment =
                request.environment() != null && !request.environment().isBlank();
        boolean hasStage = request.stage() != null && !request.stage().isBlank();
        if (hasEnvironment == hasStage) {
            throw new Invalid("environment, stage: expected exactly one of them");
        }
        if (hasEnvironment) {
            environments.byName(request.environment());
        } else if (!config.stages().contains(request.stage())) {
            throw new Invalid("stage: expected one of " + config.stages() + ", found \"" + request.stage() + "\"");
        }
        Freeze freeze = new Freeze();
        freeze.environment = hasEnvironment ? request.environment() : null;
        freeze.stage = hasStage ? request.stage() : null;
        freeze.reason = reason(request.reason());
        freeze.createdBy = by;
        boolean recurring = request.cron() != null && !request.cron().isBlank();
        if (recurring == (request.from() != null || request.to() != null)) {
            throw new Invalid("cron, from, to: expected either cron with duration (a recurring window) or from and to"
                    + " (a one-off window)");
        }
        if (recurring) {
            freeze.cron = request.cron().strip();
            freeze.durationSeconds = duration(request.duration()).toSeconds();
            freeze.zone = zone(request.zone());
            try {
                freeze.window();
            } catch (IllegalArgumentException e) {
                throw new Invalid("cron: expected five fields (minute hour day-of-month month day-of-week), like"
                        + " \"0 16 * * 5\", found \"" + request.cron() + "\": " + e.getMessage());
            }
        } else {
            if (request.from() == null || request.to() == null || !request.to().isAfter(request.from())) {
                throw new Invalid("from, to: expected both, with to after from");
            }
            freeze.startsAt = request.from();
            freeze.endsAt = request.to();
        }
        return freeze;
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new Invalid("reason: expected a few words saying why");
        }
        if (reason.length() > MAX_REASON) {
            throw new Invalid("reason: expected at most " + MAX_REASON + " characters");
        }
        return reason.strip();
    }

    static Duration duration(String text) {
        Matcher m = text == null ? null : DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (m == null || !m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new Invalid("duration: expected a number and m, h or d, like 64h, found "
                    + (text == null ? "nothing" : "\"" + text + "\""));
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static String zone(String zone) {
        if (zone == null || zone.isBlank()) {
            return "UTC";
        }
        try {
            return ZoneId.of(zone.strip()).getId();
        } catch (DateTimeException e) {
            throw new Invalid("zone: expected a time zone like Europe/Berlin or UTC, found \"" + zone + "\"");
        }
    }

    private static String target(Freeze freeze) {
        return freeze.environment != null ? Subjects.environment(freeze.environment) : "stages/" + freeze.stage;
    }

    private static String describe(Freeze freeze) {
        return "#" + freeze.id + " "
                + (freeze.cron != null
                        ? "\"" + freeze.cron + "\" for " + freeze.durationSeconds + " s (" + freeze.zone + ")"
                        : freeze.startsAt + " – " + freeze.endsAt)
                + ": " + freeze.reason;
    }

    private static FreezeView view(Freeze f, Instant now) {
        FreezeWindow window = f.window();
        Optional<Interval> active = window.activeAt(now);
        Optional<Interval> next = window.nextAfter(now);
        return new FreezeView(
                f.id,
                f.environment,
                f.stage,
                f.cron,
                f.durationSeconds,
                f.zone,
                f.startsAt,
                f.endsAt,
                f.reason,
                f.createdBy,
                f.createdAt,
                active.map(Interval::to).orElse(null),
                next.map(Interval::from).orElse(null),
                next.map(Interval::to).orElse(null));
    }

    private static LockView view(String environment, EnvironmentLock l) {
        return new LockView(environment, l.reason, l.lockedBy, l.lockedAt, l.expiresAt);
    }
}
