package org.cnx.conveyor.environment.definition;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds and checks {@code ${secret:NAME}} references inside definition values. */
public final class SecretReferences {

    /** What a secret name looks like. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{secret:(" + NAME.pattern() + ")}");
    // Anything that starts like a reference is treated as one, so that typos such as ${secrets:x} are caught.
    private static final Pattern ATTEMPT = Pattern.compile("\\$\\{\\s*secret", Pattern.CASE_INSENSITIVE);
    private static final int MAX_FRAGMENT = 80;

    private SecretReferences() {}

    /** The reference text for a secret name, e.g. {@code ${secret:staging-db-password}}. */
    public static String reference(String secretName) {
        return "${secret:" + secretName + "}";
    }

    /** The names of all well-formed secret references in the text, in order of appearance. */
    public static Set<String> namesIn(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = REFERENCE.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** True when the whole text is exactly one well-formed secret reference. */
    public static boolean isReference(String text) {
        return REFERENCE.matcher(text).matches();
    }

    /** True when the text contains anything that starts like a secret reference. */
    public static boolean mentionsSecret(String text) {
        return ATTEMPT.matcher(text).find();
    }

    /** The first reference-like fragment of the text that is not a well-formed reference, if any. */
    public static Optional<String> firstMalformed(String text) {
        Matcher attempt = ATTEMPT.matcher(text);
        Matcher reference = REFERENCE.matcher(text);
        while (attempt.find()) {
            reference.region(attempt.start(), text.length());
            if (!reference.lookingAt()) {
                int close = text.indexOf('}', attempt.start());
                int end = close < 0 ? text.length() : close + 1;
                return Optional.of(text.substring(attempt.start(), Math.min(end, attempt.start() + MAX_FRAGMENT)));
            }
        }
        return Optional.empty();
    }
}
