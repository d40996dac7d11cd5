package org.cnx.conveyor.job;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Replaces every secret value in a line by {@code ****} before the line is stored or sent anywhere. */
public final class Masker {

    public static final String MASK = "****";
    // Very short values would mask ordinary words; secrets that short are refused by nobody but matter to nobody.
    private static final int MIN_LENGTH = 4;

    private final List<String> values;

    public Masker(Collection<String> secretValues) {
        this.values = secretValues.stream()
                .flatMap(v -> v.lines().map(String::strip))
                .filter(v -> v.length() >= MIN_LENGTH)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    public String mask(String line) {
        String masked = line;
        for (String value : values) {
            if (masked.contains(value)) {
                masked = masked.replace(value, MASK);
            }
        }
        return masked;
    }
}
