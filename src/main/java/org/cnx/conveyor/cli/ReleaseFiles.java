package org.cnx.conveyor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The artifacts of a release to create: files named {@code <component>-<version>.tar.gz} (given one by one or as the
 * folders holding them), or the lines {@code <component> <version> <sha256> <file>} a packaging script prints.
 */
final class ReleaseFiles {

    /** One component's artifact on the user's disk. */
    record Artifact(String component, String version, Path file, String sha256) {}

    /** A file or list the user gave that cannot be read as artifacts; the message says which and why. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    private static final Pattern NAME =
            Pattern.compile("^([a-z][a-z0-9-]{0,31}?)-([0-9][A-Za-z0-9._+~-]{0,63})\\.tar\\.gz$");

    private ReleaseFiles() {}

    /** Every artifact of the given files and folders, by component. */
    static Map<String, Artifact> of(List<Path> paths) throws IOException, Unusable {
        Map<String, Artifact> artifacts = new TreeMap<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    for (Path file : files.filter(
                                    f -> f.getFileName().toString().endsWith(".tar.gz"))
                            .sorted()
                            .toList()) {
                        add(artifacts, named(file));
                    }
                }
            } else if (Files.isRegularFile(path)) {
                add(artifacts, named(path));
            } else {
                throw new Unusable(path + ": no such file or folder");
            }
        }
        if (artifacts.isEmpty()) {
            throw new Unusable("no artifact found: expected files named <component>-<version>.tar.gz");
        }
        return artifacts;
    }

    /** The artifacts of a list of {@code <component> <version> <sha256> <file>} lines (relative to the list's folder). */
    static Map<String, Artifact> ofList(Path list) throws IOException, Unusable {
        Map<String, Artifact> artifacts = new TreeMap<>();
        int number = 0;
        for (String line : Files.readAllLines(list)) {
            number++;
            String[] parts = line.strip().split("\\s+");
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (parts.length != 4) {
                throw new Unusable(list + ":" + number + ": expected <component> <version> <sha256> <file>");
            }
            Path file = list.toAbsolutePath().getParent().resolve(parts[3]);
            String sha256 = sha256(file);
            if (!sha256.equals(parts[2])) {
                throw new Unusable(
                        list + ":" + number + ": " + parts[3] + " has the sha256 " + sha256 + ", not " + parts[2]);
            }
            add(artifacts, new Artifact(parts[0], parts[1], file, sha256));
        }
        return artifacts;
    }

    private static Artifact named(Path file) throws IOException, Unusable {
        Matcher name = NAME.matcher(file.getFileName().toString());
        if (!name.matches()) {
            throw new Unusable(file + ": expected a name like webview-2.3.0.tar.gz (<component>-<version>.tar.gz)");
        }
        return new Artifact(name.group(1), name.group(2), file, sha256(file));
    }

    private static void add(Map<String, Artifact> artifacts, Artifact artifact) throws Unusable {
        Artifact other = artifacts.put(artifact.component(), artifact);
        if (other != null) {
            throw new Unusable("two artifacts for component " + artifact.component() + ": " + other.file() + " and "
                    + artifact.file());
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
