package org.cnx.conveyor.migrate.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs db-migrator's Python as whoever runs this process: for {@code conveyor-migrate}, a developer migrating their
 * own database from their own checkout. The server never uses it: its Python runs on the environment's hosts.
 */
public final class LocalPython implements PythonRunner {

    private final String interpreter;

    public LocalPython(String interpreter) {
        this.interpreter = interpreter;
    }

    @Override
    public int run(byte[] stdin, Consumer<String> lines) throws IOException {
        Process process = new ProcessBuilder(List.of(interpreter, "-c", BOOTSTRAP))
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // It exited before reading everything; its output and exit code say why.
        }
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.accept(line);
            }
        }
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + interpreter + " ran", e);
        }
    }

    @Override
    public String where() {
        return "this machine (" + interpreter + ")";
    }
}
