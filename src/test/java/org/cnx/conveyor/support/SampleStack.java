package org.cnx.conveyor.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Stops sample-stack services a test deployed under a host root, so no test leaves processes behind. */
public final class SampleStack {

    public static final List<String> COMPONENTS = List.of("webview", "archive", "publishing");

    private SampleStack() {}

    public static void stopAll(Path root) {
        for (String component : COMPONENTS) {
            Path current = root.resolve(component).resolve("current");
            if (!Files.exists(current.resolve("stop.sh"))) {
                continue;
            }
            ProcessBuilder stop = new ProcessBuilder("sh", "./stop.sh")
                    .directory(current.toFile())
                    .inheritIO();
            stop.environment()
                    .put(
                            "CONVEYOR_SHARED_DIR",
                            root.resolve(component).resolve("shared").toString());
            try {
                stop.start().waitFor();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
