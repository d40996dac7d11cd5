package org.cnx.conveyor.release;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnx.conveyor.release.ReleaseViews.Artifact;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;

/** Reads what a packaging command prints: one {@code <component> <version> <sha256> <file>} line per artifact. */
public final class ArtifactList {

    private ArtifactList() {}

    /** The pins of the well-formed lines, in order; other lines are ignored. */
    public static Map<String, ComponentPin> parse(String stdout) {
        Map<String, ComponentPin> pins = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 4) {
                pins.put(parts[0], new ComponentPin(parts[1], new Artifact(null, parts[3], parts[2])));
            }
        }
        return pins;
    }
}
