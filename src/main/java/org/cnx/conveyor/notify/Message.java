package org.cnx.conveyor.notify;

import java.util.List;

/**
 * A chat message before it is written in a chat's format: one sentence in plain words, the links that go with it
 * (the first is the one to follow), and the environment it is about.
 */
record Message(String text, List<Link> links, String environment) {

    /** A link with the words it is shown as. */
    record Link(String label, String url) {}

    Message {
        links = List.copyOf(links);
    }
}
