package org.cnx.conveyor.notify;

import java.util.Arrays;
import java.util.Optional;
import org.cnx.conveyor.events.EventType;

/** The events a chat channel may ask for, with the words its page shows for each. */
public enum ChatEvent {
    DEPLOY_STARTED(EventType.DEPLOY_STARTED, "Deploy started"),
    DEPLOY_SUCCEEDED(EventType.DEPLOY_SUCCEEDED, "Deploy succeeded"),
    DEPLOY_FAILED(EventType.DEPLOY_FAILED, "Deploy failed"),
    DEPLOY_ROLLED_BACK(EventType.DEPLOY_ROLLED_BACK, "Deploy rolled back"),
    ENVIRONMENT_DEGRADED(EventType.ENVIRONMENT_DEGRADED, "Environment degraded"),
    APPROVAL_REQUESTED(EventType.PROMOTION_REQUESTED, "Approval requested"),
    PREVIEW_READY(EventType.PREVIEW_READY, "Preview ready"),
    FREEZE_STARTED(EventType.FREEZE_STARTED, "Freeze started"),
    RUNBOOK_FAILED(EventType.RUNBOOK_FAILED, "Runbook failed");

    private final EventType type;
    private final String label;

    ChatEvent(EventType type, String label) {
        this.type = type;
        this.label = label;
    }

    /** The event type, as the API and filters name it. */
    public String type() {
        return type.id();
    }

    public String label() {
        return label;
    }

    public static Optional<ChatEvent> ofType(String type) {
        return Arrays.stream(values()).filter(e -> e.type().equals(type)).findFirst();
    }
}
