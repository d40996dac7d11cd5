package org.cnx.conveyor.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists every key of every {@code @ConfigMapping} with the default the code gives it. */
class ConfigurationDocsTest {

    private static final Path CLASSES = Path.of("target", "classes");
    /** A table row whose first cell names keys: {@code | `a.b.user` / `.password` | env | default | meaning |}. */
    private static final Pattern ROW =
            Pattern.compile("^\\| (`conveyor\\.[^|]+) \\|[^|]*\\| ([^|]*) \\|", Pattern.MULTILINE);

    private static final Pattern QUOTED = Pattern.compile("`([^`]+)`");
    /** How the docs write the free part of a map's keys: {@code ."<property>"} or {@code .<value>}. */
    private static final Pattern MAP_KEY = Pattern.compile("\\.(\"<[a-z]+>\"|<[a-z]+>)$");
    /** Defaults longer than this may be described in words instead of quoted. */
    private static final int QUOTED_DEFAULT_LIMIT = 60;

    @Test
    void everyConfigurationKeyIsDocumentedWithItsDefault() throws Exception {
        Map<String, String> documented = documentedKeys();
        List<String> problems = new ArrayList<>();
        keysInCode().forEach((key, defaultValue) -> {
            String cell = documented.get(key);
            if (cell == null) {
                problems.add(key + ": not in docs/configuration.md");
            } else if (defaultValue.isPresent() && !describes(cell, defaultValue.get())) {
                problems.add(
                        key + ": docs say default " + cell.trim() + ", the code says `" + defaultValue.get() + "`");
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void scheduledIntervalsTakeTheirDefaultsFromTheConfigMappings() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            List<String> copies = files.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(ConfigurationDocsTest::lines)
                    .filter(line -> line.contains("@Scheduled") && line.matches(".*\\$\\{[^}]*:[^}]*}.*"))
                    .toList();
            assertEquals(List.of(), copies, "a default written in @Scheduled duplicates the one of the config mapping");
        }
    }

    private static boolean describes(String cell, String defaultValue) {
        if (cell.contains("`" + defaultValue + "`")) {
            return true;
        }
        return defaultValue.length() > QUOTED_DEFAULT_LIMIT && !cell.isBlank();
    }

    private static Map<String, String> documentedKeys() throws IOException {
        String text = Files.readString(Path.of("docs", "configuration.md"));
        Map<String, String> keys = new TreeMap<>();
        Matcher row = ROW.matcher(text);
        while (row.find()) {
            String previous = null;
            Matcher quoted = QUOTED.matcher(row.group(1));
            while (quoted.find()) {
                String key = quoted.group(1);
                // `.password` after `a.b.username` names the sibling key a.b.password.
                key = key.startsWith(".") && previous != null
                        ? previous.substring(0, previous.lastIndexOf('.')) + key
                        : key;
                keys.put(MAP_KEY.matcher(key).replaceFirst(".*"), row.group(2));
                previous = key;
            }
        }
        assertFalse(keys.isEmpty(), "no key table found in docs/configuration.md");
        return keys;
    }

    private static Map<String, Optional<String>> keysInCode() throws Exception {
        Map<String, Optional<String>> keys = new TreeMap<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name =
                        CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, ConfigurationDocsTest.class.getClassLoader());
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    collect(type, mapping.prefix(), keys);
                }
            }
        }
        assertFalse(keys.isEmpty(), "no @ConfigMapping found under " + CLASSES);
        return keys;
    }

    private static void collect(Class<?> type, String prefix, Map<String, Optional<String>> keys) {
        for (Method method : type.getMethods()) {
            if (method.getParameterCount() > 0 || Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String key = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            Class<?> returned = method.getReturnType();
            if (returned.isInterface()
                    && returned.getEnclosingClass() != null
                    && !Map.class.isAssignableFrom(returned)
                    && !List.class.isAssignableFrom(returned)) {
                collect(returned, key, keys);
            } else if (Map.class.isAssignableFrom(returned)) {
                keys.put(key + ".*", Optional.empty());
            } else {
                WithDefault withDefault = method.getAnnotation(WithDefault.class);
                keys.put(key, Optional.ofNullable(withDefault).map(WithDefault::value));
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
