package org.cnx.conveyor.deploy;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a phase script reports about its steps, one marker per line of its standard output:
 * {@code @@conveyor <nonce> begin <step>}, {@code … end <step> <exit>}, {@code … answer <step> <word>…},
 * {@code … need <step>} (send the step's input now), and {@code … exit <status>} after the whole script. The nonce is new for every script, so a command's own output
 * cannot be mistaken for a marker; a marker may follow a command's last output when that did not end its line.
 */
sealed interface StepMarker {

    /** The step the marker is about, as numbered by its {@link PhaseScript} (from 1). */
    int step();

    /** The step has started on the host. */
    record Begin(int step) implements StepMarker {}

    /** The step has ended with {@code exit} (0: done). */
    record End(int step, int exit) implements StepMarker {}

    /** A value the step found (what {@code current} pointed to, what prepare still had to do, …). */
    record Answer(int step, List<String> words) implements StepMarker {
        public Answer {
            words = List.copyOf(words);
        }

        String first() {
            return words.isEmpty() ? "" : words.get(0);
        }
    }

    /** The step waits for its input (an artifact) on the script's standard input. */
    record Need(int step) implements StepMarker {}

    /** The whole script has ended with {@code status} (printed by the session that ran it, not by the script). */
    record Exit(int status) implements StepMarker {
        @Override
        public int step() {
            return 0;
        }
    }

    String PREFIX = "@@conveyor ";

    /** A line of output split into what a command printed and, when the line carries one, the marker after it. */
    record Line(String output, Optional<StepMarker> marker) {}

    /**
     * Reads one line of a script's standard output. A line with this script's prefix and nonce but no valid marker
     * after them is a protocol error (the script is generated, so it cannot print one); any other line is output.
     */
    static Line parse(String line, String nonce) {
        String head = PREFIX + nonce + " ";
        int at = line.indexOf(head);
        if (at < 0) {
            return new Line(line, Optional.empty());
        }
        String body = line.substring(at + head.length());
        Matcher exit = EXIT.matcher(body);
        if (exit.matches()) {
            return new Line(line.substring(0, at), Optional.of(new Exit(Integer.parseInt(exit.group(1)))));
        }
        Matcher m = SHAPE.matcher(body);
        if (!m.matches()) {
            throw new IllegalStateException("malformed step marker: \"" + body + "\"");
        }
        int step = Integer.parseInt(m.group(2));
        String rest = m.group(3) == null ? "" : m.group(3);
        StepMarker marker = switch (m.group(1)) {
            case "begin" -> new Begin(step);
            case "need" -> new Need(step);
            case "end" -> new End(step, exit(rest, body));
            default -> new Answer(step, rest.isEmpty() ? List.of() : List.of(rest.split(" ")));
        };
        return new Line(line.substring(0, at), Optional.of(marker));
    }

    private static int exit(String rest, String body) {
        if (!rest.matches("[0-9]{1,3}")) {
            throw new IllegalStateException("malformed step marker: \"" + body + "\"");
        }
        return Integer.parseInt(rest);
    }

    Pattern EXIT = Pattern.compile("exit ([0-9]{1,3})");

    Pattern SHAPE = Pattern.compile("(begin|end|answer|need) ([1-9][0-9]{0,4})(?: (\\S.*))?");
}
