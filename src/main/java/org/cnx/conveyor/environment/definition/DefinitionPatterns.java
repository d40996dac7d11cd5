package org.cnx.conveyor.environment.definition;

import java.util.regex.Pattern;

/** The patterns names and values in a definition must match; strict so that they are safe in shell commands. */
final class DefinitionPatterns {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    static final Pattern SHORT_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    static final Pattern ADDRESS =
            Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    static final Pattern HOST_KEY = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    static final Pattern ABSOLUTE_PATH = Pattern.compile("(/[A-Za-z0-9._@+-]+)+/?");
    static final Pattern RELATIVE_PATH = Pattern.compile("[A-Za-z0-9._@+-]+(/[A-Za-z0-9._@+-]+)*/?");
    static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,62}");
    /** Stricter than {@link #DATABASE_NAME}: Conveyor creates and drops these databases itself. */
    static final Pattern EMBEDDED_DATABASE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    static final String NAME_EXPECTED = "name matching ^[a-z][a-z0-9-]{0,62}$";
    static final String SHORT_NAME_EXPECTED = "name matching ^[a-z][a-z0-9-]{0,31}$";
    static final String ABSOLUTE_EXPECTED = "an absolute path like /srv/conveyor";
    static final String RELATIVE_EXPECTED = "a relative folder like migrations (no \"..\", not absolute)";

    private DefinitionPatterns() {}

    static boolean isAbsolutePath(String path) {
        return ABSOLUTE_PATH.matcher(path).matches() && !hasParentSegment(path);
    }

    static boolean isRelativePath(String path) {
        return RELATIVE_PATH.matcher(path).matches() && !hasParentSegment(path);
    }

    private static boolean hasParentSegment(String path) {
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
