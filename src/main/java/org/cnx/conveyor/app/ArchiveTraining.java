package org.cnx.conveyor.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The training start of {@code bin/conveyor-server}: before the JVM exits and writes its class archive, links every
 * class the start loaded. JDK 17's archive written at exit leaves out classes that were loaded but never linked (about
 * 3,000 in a start, mostly Hibernate's, loaded to verify others); every later start then read, inflated and parsed them
 * from the jars again. The script names the JVM's class-load log ({@code -Xlog:class+load}) in
 * {@value #LOG_PROPERTY}.
 */
final class ArchiveTraining {

    /** Outside the {@code conveyor.} namespace, which admits only the keys Conveyor's configuration knows. */
    static final String LOG_PROPERTY = "cds.class-load-log";

    private static final String SOURCE = " source: ";

    private ArchiveTraining() {}

    /** When this is a training start, links the loaded classes at the JVM's exit, before the archive is written. */
    static void linkAtExitIfTraining() {
        String log = System.getProperty(LOG_PROPERTY);
        if (log == null) {
            return;
        }
        ClassLoader loader = ArchiveTraining.class.getClassLoader();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            // Not earlier: a logger made before Quarkus starts would fix the JDK's log manager.
                            Logger logger = Logger.getLogger(ArchiveTraining.class);
                            try {
                                Linked linked = link(Path.of(log), loader);
                                logger.infof(
                                        "Linked %d loaded classes for the class archive (%d could not be)",
                                        linked.linked(), linked.failed());
                            } catch (IOException e) {
                                logger.warnf("Cannot read the class-load log %s: %s", log, e.getMessage());
                            }
                        },
                        "class-archive-link"));
    }

    /** How many classes were linked and how many could not be (gone, or failing verification). */
    record Linked(int linked, int failed) {}

    /**
     * Links each class the log names (lines like {@code [0.1s][info][class,load] a.B source: …}), through
     * {@code loader}. Linking can load classes the log did not have yet, so the log is read again until nothing new.
     */
    static Linked link(Path log, ClassLoader loader) throws IOException {
        Set<String> done = new HashSet<>();
        int linked = 0;
        int failed = 0;
        while (true) {
            List<String> names = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .map(ArchiveTraining::className)
                    .filter(name -> name != null && done.add(name))
                    .toList();
            if (names.isEmpty()) {
                return new Linked(linked, failed);
            }
            for (String name : names) {
                try {
                    // Reflection on a class's methods links it (verification included) without initialising it.
                    Class.forName(name, false, loader).getDeclaredMethods();
                    linked++;
                } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
                    failed++;
                }
            }
        }
    }

    /** The class a class-load log line names; null for other lines and for classes without a name to load by. */
    static String className(String line) {
        int source = line.indexOf(SOURCE);
        int start = line.lastIndexOf("] ", source) + 2;
        if (source < 0 || start < 2) {
            return null;
        }
        String name = line.substring(start, source);
        // Lambdas' and hidden classes' names cannot be loaded by name; they are generated again each start.
        return name.contains("/") || name.contains("$$Lambda") || name.isBlank() ? null : name;
    }
}
