package org.cnx.conveyor.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A command line split into words and {@code --options}; options that take a value say so in {@link #VALUED}. */
final class Arguments {

    /** A command line the command cannot run; the message says what was expected. */
    static final class Wrong extends Exception {
        Wrong(String message) {
            super(message);
        }
    }

    static final Set<String> VALUED = Set.of(
            "--url",
            "--token",
            "--limit",
            "--list",
            "--notes",
            "--branch",
            "--commit",
            "--repository",
            "--committed-at",
            "--note",
            "--reason",
            "--param",
            "--confirm");

    final List<String> words = new ArrayList<>();
    final Map<String, List<String>> options = new LinkedHashMap<>();

    Arguments(List<String> args) throws Wrong {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--") && arg.contains("=") && VALUED.contains(arg.substring(0, arg.indexOf('=')))) {
                add(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (VALUED.contains(arg)) {
                if (i + 1 >= args.size()) {
                    throw new Wrong(arg + " expects a value");
                }
                add(arg, args.get(++i));
            } else if (arg.startsWith("--")) {
                add(arg, "true");
            } else {
                words.add(arg);
            }
        }
    }

    private void add(String option, String value) {
        options.computeIfAbsent(option, o -> new ArrayList<>()).add(value);
    }

    boolean flag(String option) {
        return options.containsKey(option);
    }

    String option(String option) {
        List<String> values = options.get(option);
        return values == null ? null : values.get(values.size() - 1);
    }

    List<String> all(String option) {
        return options.getOrDefault(option, List.of());
    }

    /** The {@code index}th word, which the usage calls {@code name}. */
    String word(int index, String name) throws Wrong {
        if (words.size() <= index) {
            throw new Wrong("expected " + name);
        }
        return words.get(index);
    }

    long number(int index, String name) throws Wrong {
        String word = word(index, name);
        try {
            return Long.parseLong(word);
        } catch (NumberFormatException e) {
            throw new Wrong("expected " + name + " as a number, found \"" + word + "\"");
        }
    }
}
