package org.cnx.conveyor.migrate.engine;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Runs a Python program outside Conveyor's JVM and outside its OS user: on a database host over SSH, in a sandbox, or
 * (for the command line) as the developer running it. The program text and its input arrive on standard input.
 */
public interface PythonRunner extends AutoCloseable {

    /**
     * Runs {@code python -c BOOTSTRAP} with {@code stdin}, handing each output line to {@code lines}.
     *
     * @return the exit code
     * @throws IOException when the program cannot be started or its host cannot be reached
     */
    int run(byte[] stdin, Consumer<String> lines) throws IOException;

    /** Where it runs, for messages. */
    String where();

    @Override
    default void close() {}

    /** The bootstrap passed with {@code -c}: reads the program's length, then the program, and runs it. */
    String BOOTSTRAP = "import sys;n=int(sys.stdin.buffer.readline());"
            + "exec(compile(sys.stdin.buffer.read(n),'conveyor-dbmigrator','exec'))";

    /** For callers that only read history and plans: running Python is refused. */
    PythonRunner NONE = new Refused("this operation only reads the history; it runs no migration");

    /** A runner that cannot run anything here, and says why. */
    record Refused(String why) implements PythonRunner {
        @Override
        public int run(byte[] stdin, Consumer<String> lines) throws IOException {
            throw new IOException(why);
        }

        @Override
        public String where() {
            return "nowhere";
        }
    }
}
