package org.cnx.conveyor.migrate.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What differs between two snapshots: objects added, removed, or with a changed definition, sorted by key.
 *
 * <p>As lines: {@code + key: definition} for an object only in the later snapshot, {@code - key: definition} for one
 * only in the earlier, {@code ~ key: before -> after} for one whose definition changed.
 */
public record SchemaDiff(List<Change> changes) {

    public SchemaDiff {
        changes = List.copyOf(changes);
    }

    public static SchemaDiff between(SchemaSnapshot before, SchemaSnapshot after) {
        TreeSet<String> keys = new TreeSet<>(before.objects().keySet());
        keys.addAll(after.objects().keySet());
        List<Change> changes = new ArrayList<>();
        for (String key : keys) {
            String was = before.objects().get(key);
            String is = after.objects().get(key);
            if (was == null) {
                changes.add(new Change(Kind.ADDED, key, null, is));
            } else if (is == null) {
                changes.add(new Change(Kind.REMOVED, key, was, null));
            } else if (!was.equals(is)) {
                changes.add(new Change(Kind.CHANGED, key, was, is));
            }
        }
        return new SchemaDiff(changes);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Objects only in the later snapshot. */
    public List<Change> added() {
        return of(Kind.ADDED);
    }

    /** Objects only in the earlier snapshot. */
    public List<Change> removed() {
        return of(Kind.REMOVED);
    }

    /** Objects in both snapshots whose definition differs. */
    public List<Change> changed() {
        return of(Kind.CHANGED);
    }

    /** One line per change, sorted by key, definitions folded onto one line. */
    public List<String> lines() {
        return changes.stream().map(Change::line).toList();
    }

    private List<Change> of(Kind kind) {
        return changes.stream().filter(change -> change.kind() == kind).toList();
    }

    /** One change. kind is ADDED, REMOVED or CHANGED; before/after are null where absent. */
    public record Change(Kind kind, String key, String before, String after) {

        /** This change as {@code + key: after}, {@code - key: before} or {@code ~ key: before -> after}. */
        public String line() {
            return switch (kind) {
                case ADDED -> "+ " + key + ": " + oneLine(after);
                case REMOVED -> "- " + key + ": " + oneLine(before);
                case CHANGED -> "~ " + key + ": " + oneLine(before) + " -> " + oneLine(after);
            };
        }

        // View definitions span several indented lines; a diff line should not. Each run of whitespace holding a line
        // break becomes one space, in one pass: a regex with \s* on both sides of \n retried every start of a long
        // run of spaces and took quadratic time on a 60 kB column default.
        static String oneLine(String definition) {
            String text = definition.strip();
            StringBuilder out = new StringBuilder(text.length());
            int i = 0;
            while (i < text.length()) {
                if (!isSpace(text.charAt(i))) {
                    out.append(text.charAt(i++));
                    continue;
                }
                int end = i;
                boolean lineBreak = false;
                while (end < text.length() && isSpace(text.charAt(end))) {
                    lineBreak |= text.charAt(end) == '\n';
                    end++;
                }
                out.append(lineBreak ? " " : text.substring(i, end));
                i = end;
            }
            return out.toString();
        }

        // The characters of the regex class \s.
        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
        }
    }

    /** How an object differs. */
    public enum Kind {
        ADDED,
        REMOVED,
        CHANGED
    }
}
