package org.cnx.conveyor.environment.definition;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads typed values out of single YAML nodes, reporting "expected …, found …" problems. */
final class YamlValues {

    static final String DURATION_EXPECTED = "a positive duration like 30s, 5m, 72h or 7d";
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,10}");
    private static final int MAX_SHOWN = 80;

    private YamlValues() {}

    /** How a node is shown after "found": strings quoted, other scalars as written, collections by kind. */
    static String describe(Node node) {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue().isEmpty() ? "an empty list" : "a list";
        }
        if (node instanceof MappingNode mapping) {
            return mapping.getValue().isEmpty() ? "an empty mapping" : "a mapping";
        }
        if (isNull(node)) {
            return "nothing";
        }
        ScalarNode scalar = (ScalarNode) node;
        return Tag.STR.equals(scalar.getTag()) ? quote(scalar.getValue()) : scalar.getValue();
    }

    static String quote(String value) {
        String shown = value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN) + "…" : value;
        return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }

    static void expected(Problems problems, Node node, String path, String expected) {
        problems.add(node, path, "expected " + expected + ", found " + describe(node));
    }

    /** Any non-empty scalar as text; numbers and booleans are taken as written. */
    static Optional<String> text(Node node, String path, String expected, Problems problems) {
        if (node instanceof ScalarNode scalar && !isNull(node)) {
            return Optional.of(scalar.getValue());
        }
        expected(problems, node, path, expected);
        return Optional.empty();
    }

    static Optional<String> matching(Node node, String path, Pattern pattern, String expected, Problems problems) {
        Optional<String> text = text(node, path, expected, problems);
        if (text.isPresent() && !pattern.matcher(text.get()).matches()) {
            expected(problems, node, path, expected);
            return Optional.empty();
        }
        return text;
    }

    /** An integer within bounds; quoted digits are accepted so that rendered templates can quote placeholders. */
    static Optional<Integer> integer(Node node, String path, int min, int max, Problems problems) {
        String expected = "an integer " + min + "-" + max;
        if (node instanceof ScalarNode scalar
                && INTEGER.matcher(scalar.getValue()).matches()) {
            long value = Long.parseLong(scalar.getValue());
            if (value >= min && value <= max) {
                return Optional.of((int) value);
            }
        }
        expected(problems, node, path, expected);
        return Optional.empty();
    }

    static Optional<Duration> duration(Node node, String path, Problems problems) {
        if (node instanceof ScalarNode scalar) {
            Matcher matcher = DURATION.matcher(scalar.getValue());
            if (matcher.matches() && Long.parseLong(matcher.group(1)) > 0) {
                return Optional.of(toDuration(Long.parseLong(matcher.group(1)), matcher.group(2)));
            }
        }
        expected(problems, node, path, DURATION_EXPECTED);
        return Optional.empty();
    }

    private static Duration toDuration(long amount, String unit) {
        return switch (unit) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** One of an enum's constants, spelled in lower case in the file. */
    static <E extends Enum<E>> Optional<E> oneOf(Node node, String path, Class<E> type, Problems problems) {
        String expected = "one of "
                + Arrays.stream(type.getEnumConstants())
                        .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", "));
        if (node instanceof ScalarNode scalar) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().toLowerCase(Locale.ROOT).equals(scalar.getValue())) {
                    return Optional.of(constant);
                }
            }
        }
        expected(problems, node, path, expected);
        return Optional.empty();
    }
}
