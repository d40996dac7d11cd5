package org.cnx.conveyor.deploy;

import static org.cnx.conveyor.transport.Shell.quote;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One phase's work on one host as one POSIX {@code sh} script, sent over one exec: each step runs in a subshell between
 * a {@code begin} and an {@code end} {@link StepMarker}, a failing step ends the script (unless it may fail), and the
 * recipe commands inside steps run with no input and a time limit. The exec itself only starts a small bootstrap
 * that reads the script from standard input into a private temporary file and runs it under the root's lock; what
 * follows the script on standard input is what steps ask for with {@code need} (an artifact's bytes).
 */
final class PhaseScript {

    /** Whether the script stops at a failing step, or goes on (a stop during a rollback must not stop the restore). */
    enum OnFailure {
        STOP,
        CONTINUE
    }

    /**
     * One step: its number (from 1), its shell text, what its failure does, and whether it reads the script's input
     * (only a step that asks for an artifact does; every other step reads nothing).
     */
    record Step(int number, String body, OnFailure onFailure, boolean readsInput) {}

    /** The exit status of {@code timeout} when a command ran out of time, as the step reports it. */
    static final int TIMED_OUT = 124;

    /**
     * How a script competes for the host's CPU: {@code NORMAL}, or {@code LOW} for housekeeping after a job (pruning
     * old releases), which then takes nothing from the services the host runs, nor from the next job's work.
     */
    enum Priority {
        NORMAL("normal"),
        LOW("low");

        private final String word;

        Priority(String word) {
            this.word = word;
        }
    }

    /** How a {@link Priority#LOW} script's shell is started: {@code nice}'s lowest priority. */
    private static final String LOW_PRIORITY_SH = "nice -n 19 sh";

    private static final Pattern WORD = Pattern.compile("^[A-Za-z0-9._:/+=-]+$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String root;
    private final String nonce;
    private final List<Step> steps = new ArrayList<>();
    private Duration limit = Duration.ZERO;
    private Duration margin = Duration.ofMinutes(1);
    private Priority priority = Priority.NORMAL;

    PhaseScript(String root) {
        this(root, HexFormat.of().formatHex(randomBytes()));
    }

    PhaseScript(String root, String nonce) {
        this.root = root;
        this.nonce = nonce;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    String nonce() {
        return nonce;
    }

    List<Step> steps() {
        return List.copyOf(steps);
    }

    boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * Adds a step whose commands may take up to {@code limit} together; returns its number. The body is shell text
     * made of this class's and {@link HostLayout}'s snippets, every value in it quoted.
     */
    int add(String body, OnFailure onFailure, Duration limit) {
        return add(body, onFailure, limit, false);
    }

    /** Adds a step that may read the script's input (after it printed {@code need}). */
    int addReadingInput(String body, OnFailure onFailure, Duration limit) {
        return add(body, onFailure, limit, true);
    }

    private int add(String body, OnFailure onFailure, Duration limit, boolean readsInput) {
        steps.add(new Step(steps.size() + 1, body, onFailure, readsInput));
        this.limit = this.limit.plus(limit);
        return steps.size();
    }

    /** How long the whole exec may take: every step's limit, plus a margin for the lock and the transfer. */
    Duration timeout() {
        return limit.plus(margin);
    }

    /** Sets the margin {@link #timeout} adds to the steps' limits (a minute by default). */
    PhaseScript margin(Duration margin) {
        this.margin = margin;
        return this;
    }

    /** Sets how the script competes for the host's CPU ({@link Priority#NORMAL} by default). */
    PhaseScript priority(Priority priority) {
        this.priority = priority;
        return this;
    }

    /** The script's text. */
    String text() {
        StringBuilder script = new StringBuilder();
        script.append("conveyor_n=").append(quote(nonce)).append('\n');
        script.append("conveyor_mark() { printf '%s%s %s\\n' ")
                .append(quote(StepMarker.PREFIX))
                .append(" \"$conveyor_n\" \"$*\"; }\n");
        // Where coreutils' timeout is installed each recipe command gets its limit on the host (and its children are
        // killed with it); elsewhere the exec's own timeout is the only limit.
        script.append("conveyor_limit() { conveyor_t=$1; shift; if command -v timeout >/dev/null 2>&1; then"
                + " timeout -k 10 \"$conveyor_t\" \"$@\"; else \"$@\"; fi; }\n");
        for (Step step : steps) {
            script.append("conveyor_mark begin ").append(step.number()).append('\n');
            script.append("(\n")
                    .append(step.body())
                    .append("\n)")
                    .append(step.readsInput() ? "" : " </dev/null")
                    .append('\n');
            script.append("conveyor_s=$?\n");
            script.append("conveyor_mark end ").append(step.number()).append(" \"$conveyor_s\"\n");
            if (step.onFailure() == OnFailure.STOP) {
                script.append("[ \"$conveyor_s\" -eq 0 ] || exit \"$conveyor_s\"\n");
            }
        }
        script.append("exit 0\n");
        return script.toString();
    }

    byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The command the exec runs: {@code sh} explicitly (the login shell only starts it), reading exactly the script's
     * bytes from standard input into a file only its user can read, running it under the root's lock (where
     * {@code flock} is installed) with the rest of standard input left for the steps, and removing it after.
     */
    String command() {
        String sh = priority == Priority.LOW ? LOW_PRIORITY_SH : "sh";
        String boot = "umask 077; f=$(mktemp) || exit 97; head -c \"$1\" > \"$f\" || { rm -f \"$f\"; exit 97; };"
                + " mkdir -p \"$2/.conveyor\" || { rm -f \"$f\"; exit 97; };"
                + " if command -v flock >/dev/null 2>&1; then flock -o -w 900 \"$2/.conveyor/lock\" " + sh + " \"$f\";"
                + " else " + sh + " \"$f\"; fi; s=$?; rm -f \"$f\"; exit $s";
        return "exec sh -c " + quote(boot) + " conveyor " + bytes().length + " " + quote(root);
    }

    /**
     * The command that keeps a script session running on a host: it reads a header line
     * ({@code LENGTH NONCE PRIORITY ROOT}), then exactly LENGTH bytes of script into a private temporary file, runs it
     * under ROOT's lock (at the lowest CPU priority when PRIORITY is {@code low}) with the rest of its input left for
     * the script's steps, removes it, prints {@code exit} with the script's status, and waits for the next. One command
     * per connection instead of one per phase: the login shell starts once.
     */
    static final String SESSION = "exec sh -c "
            + quote("umask 077; while IFS=' ' read -r n c p r; do"
                    + " f=$(mktemp) || exit 97; head -c \"$n\" > \"$f\" || exit 97; mkdir -p \"$r/.conveyor\";"
                    + " if [ \"$p\" = low ]; then set -- " + LOW_PRIORITY_SH + "; else set -- sh; fi;"
                    + " if command -v flock >/dev/null 2>&1; then flock -o -w 900 \"$r/.conveyor/lock\" \"$@\" \"$f\";"
                    + " else \"$@\" \"$f\"; fi; s=$?; rm -f \"$f\"; printf '%s %s exit %s\\n' '@@conveyor' \"$c\" \"$s\";"
                    + " done");

    /**
     * What a session reads before the script: its length, the nonce its exit is printed with, its priority, the root
     * to lock.
     */
    String header() {
        return bytes().length + " " + nonce + " " + priority.word + " " + root + "\n";
    }

    // ---- snippets for step bodies ----

    /** Prints a marker from inside a step; {@code words} are plain words, or shell expansions the caller wrote. */
    static String mark(String kind, int step, String... words) {
        StringBuilder line =
                new StringBuilder("conveyor_mark ").append(kind).append(' ').append(step);
        for (String word : words) {
            line.append(' ').append(word);
        }
        return line.toString();
    }

    /** A plain answer word, checked: answers are read back by splitting at spaces. */
    static String word(String value) {
        if (!WORD.matcher(value).matches()) {
            throw new IllegalArgumentException("not a plain word: " + value);
        }
        return value;
    }

    /**
     * Runs a recipe command line (built with {@code Shell.inDirectory}) with no standard input (the script's input
     * carries artifacts) and its time limit.
     */
    static String recipe(String command, Duration limit) {
        return "conveyor_limit " + Math.max(1, limit.toSeconds()) + " sh -c " + quote(command) + " </dev/null";
    }

    /** Prints a line on the step's standard error: what the job log shows when a guard stops a step. */
    static String complain(String message) {
        return "echo " + quote(message) + " >&2";
    }
}
