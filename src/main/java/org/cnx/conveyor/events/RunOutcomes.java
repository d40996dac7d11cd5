package org.cnx.conveyor.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipelined run's outcomes as they come back, in any order, awaited once for the whole run: the sending thread
 * wakes when every outcome is in, or when every one up to a failure is — not once per delivery.
 */
final class RunOutcomes {

    private final WebhookSender.Outcome[] outcomes;
    private int settled;
    private int firstFailure = Integer.MAX_VALUE;

    RunOutcomes(int size) {
        outcomes = new WebhookSender.Outcome[size];
    }

    /** The outcome of the run's {@code index}th delivery. */
    synchronized void set(int index, WebhookSender.Outcome outcome) {
        outcomes[index] = outcome;
        if (!outcome.delivered()) {
            firstFailure = Math.min(firstFailure, index);
        }
        while (settled < outcomes.length && outcomes[settled] != null) {
            settled++;
        }
        if (done()) {
            notifyAll();
        }
    }

    /**
     * The outcomes in order, up to and including the first failure. A delivery whose outcome does not come within
     * {@code limitMillis} of the one before it (or of the start) is reported as timed out, and ends the list.
     */
    synchronized List<WebhookSender.Outcome> await(long limitMillis, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + limitMillis;
        int seen = settled;
        try {
            while (!done()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    if (settled == seen) {
                        break;
                    }
                    // Progress since the last look: the next outcome gets a whole limit of its own.
                    seen = settled;
                    deadline = System.currentTimeMillis() + limitMillis;
                    continue;
                }
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return prefix(new WebhookSender.Outcome(Instant.now(), null, null, 0, "interrupted: Conveyor is stopping"));
        }
        if (done()) {
            return prefix(null);
        }
        return prefix(new WebhookSender.Outcome(
                Instant.now(), null, null, limitMillis, "timed out after " + timeoutMillis + " ms"));
    }

    private boolean done() {
        return settled == outcomes.length || settled > firstFailure;
    }

    private List<WebhookSender.Outcome> prefix(WebhookSender.Outcome cutOff) {
        List<WebhookSender.Outcome> list = new ArrayList<>(settled + 1);
        for (int i = 0; i < settled; i++) {
            list.add(outcomes[i]);
            if (!outcomes[i].delivered()) {
                return list;
            }
        }
        if (cutOff != null && settled < outcomes.length) {
            list.add(cutOff);
        }
        return list;
    }
}
