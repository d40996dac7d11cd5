package org.cnx.conveyor.cli;

import java.util.Map;

/** ANSI colours for a terminal; none when the output is not one or {@code NO_COLOR} is set. */
record Colors(boolean on) {

    static Colors detect(Map<String, String> env) {
        if (env.containsKey("NO_COLOR")) {
            return new Colors(false);
        }
        if ("1".equals(env.get("CLICOLOR_FORCE"))) {
            return new Colors(true);
        }
        return new Colors(System.console() != null && !"dumb".equals(env.get("TERM")));
    }

    String red(String text) {
        return paint("31", text);
    }

    String green(String text) {
        return paint("32", text);
    }

    String yellow(String text) {
        return paint("33", text);
    }

    String dim(String text) {
        return paint("36", text);
    }

    /** Green for success, yellow for a rollback, red for everything else that ended badly. */
    String status(String status, String text) {
        return switch (status) {
            case "succeeded" -> green(text);
            case "rolled_back", "cancelled" -> yellow(text);
            default -> red(text);
        };
    }

    private String paint(String code, String text) {
        return on ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
