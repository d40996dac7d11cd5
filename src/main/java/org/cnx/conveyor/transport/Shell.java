package org.cnx.conveyor.transport;

import java.util.Map;
import java.util.regex.Pattern;

/** The one place where values become shell words: every value that reaches a shell goes through {@link #quote}. */
public final class Shell {

    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    private Shell() {}

    /** POSIX single-quoting: the result is one shell word whose value is exactly {@code value}. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    /**
     * A command that runs {@code script} (a recipe command, itself shell syntax written by the environment's owner)
     * with {@code sh} in {@code directory}, with the given environment variables.
     */
    public static String inDirectory(String directory, Map<String, String> env, String script) {
        StringBuilder command =
                new StringBuilder("cd ").append(quote(directory)).append(" && env");
        env.forEach((name, value) -> {
            if (!ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not an environment variable name: " + name);
            }
            command.append(' ').append(quote(name + "=" + value));
        });
        return command.append(" sh -c ").append(quote(script)).toString();
    }
}
