package org.cnx.conveyor.preview;

/** What a delivery did, as the webhook answers it: a sentence, and the job it queued, if any. */
record Handled(String outcome, Long job) {

    static Handled only(String outcome) {
        return new Handled(outcome, null);
    }
}
