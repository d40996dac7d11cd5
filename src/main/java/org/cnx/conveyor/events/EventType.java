package org.cnx.conveyor.events;

import java.util.Locale;
import java.util.Set;

/** The catalogue of Conveyor's own event types (docs/events.md shows an example payload of each). */
public enum EventType {
    RELEASE_CREATED("release.created"),
    DEPLOY_STARTED("deploy.started"),
    DEPLOY_SUCCEEDED("deploy.succeeded"),
    DEPLOY_FAILED("deploy.failed"),
    DEPLOY_ROLLED_BACK("deploy.rolled_back"),
    ENVIRONMENT_CREATED("environment.created"),
    ENVIRONMENT_DEGRADED("environment.degraded"),
    ENVIRONMENT_DESTROYED("environment.destroyed"),
    MIGRATION_APPLIED("migration.applied"),
    MIGRATION_UNDONE("migration.undone"),
    MIGRATION_FAILED("migration.failed"),
    MIGRATION_DRIFT_DETECTED("migration.drift_detected"),
    PROMOTION_REQUESTED("promotion.requested"),
    PROMOTION_APPROVED("promotion.approved"),
    PROMOTION_REJECTED("promotion.rejected"),
    PREVIEW_READY("preview.ready"),
    PREVIEW_TORN_DOWN("preview.torn_down"),
    FREEZE_STARTED("freeze.started"),
    RUNBOOK_STARTED("runbook.started"),
    RUNBOOK_SUCCEEDED("runbook.succeeded"),
    RUNBOOK_FAILED("runbook.failed"),
    /** Sent only by a subscription's test ping; never stored in the outbox. */
    PING("conveyor.ping");

    /** The first segments of Conveyor's own types: no service may publish in these namespaces. */
    public static final Set<String> RESERVED_NAMESPACES = Set.of(
            "release", "deploy", "environment", "migration", "promotion", "preview", "freeze", "runbook", "conveyor");

    private final String id;

    EventType(String id) {
        this.id = id;
    }

    /** The CloudEvents {@code type} attribute. */
    public String id() {
        return id;
    }

    /** True when a type (Conveyor's or a service's) lies in one of Conveyor's own namespaces. */
    public static boolean reserved(String type) {
        int dot = type.indexOf('.');
        String namespace = dot < 0 ? type : type.substring(0, dot);
        return RESERVED_NAMESPACES.contains(namespace.toLowerCase(Locale.ROOT));
    }
}
