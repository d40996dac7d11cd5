package org.cnx.conveyor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code conveyor COMMAND …}: Conveyor from a terminal or a CI job, through its JSON API with the user's token. Each
 * method is one command; a job's outcome becomes the exit code ({@link Outcome}).
 */
public final class ConveyorCli {

    static final String USAGE = """
            usage: conveyor [--json] [--url URL] COMMAND …
              login [--url URL] [--token TOKEN]     save Conveyor's address and an API token (token read from stdin
                                                    when not given)
              envs                                  the environments and what runs there
              releases [--limit N]                  the newest releases
              release create PATH… | --list FILE    checksum the artifacts, upload what Conveyor lacks, create the
                     [--notes T] [--branch B] [--commit C] [--repository OWNER/NAME]   release; prints its id
                     [--committed-at TIME]          when the commit was made (git show -s --format=%cI), for DORA
              deploy ENV RELEASE [--follow] [--allow-irreversible]
              rollback ENV [--follow]
              promote RELEASE ENV [--note T] [--follow]
              approve PROMOTION | reject PROMOTION --reason R
              logs JOB [--follow]
              runbook list ENV | runbook run ENV NAME [--param K=V]… [--confirm PHRASE] [--follow]
              completion bash|zsh                   a completion script for the shell
            environment: CONVEYOR_URL, CONVEYOR_TOKEN (else the file written by login), NO_COLOR
            exit codes: 0 succeeded, 1 error, 2 usage, 3 job failed, 4 rolled back, 5 degraded, 6 cancelled
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> env;

    public ConveyorCli(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
    }

    /** Runs one command line; returns the exit code. */
    public int run(List<String> args) {
        try {
            Arguments a = new Arguments(args);
            return command(a).code;
        } catch (Arguments.Wrong e) {
            err.println("conveyor: " + e.getMessage());
            err.print(USAGE);
            return Outcome.USAGE.code;
        } catch (ApiClient.ApiError | ReleaseFiles.Unusable e) {
            err.println("conveyor: " + e.getMessage());
            return Outcome.ERROR.code;
        } catch (IOException e) {
            err.println("conveyor: " + e.getMessage());
            return Outcome.ERROR.code;
        }
    }

    private Outcome command(Arguments a)
            throws Arguments.Wrong, IOException, ApiClient.ApiError, ReleaseFiles.Unusable {
        String command = a.words.isEmpty() ? "help" : a.words.get(0);
        CliSettings settings = CliSettings.load(env);
        if (a.option("--url") != null) {
            settings = new CliSettings(a.option("--url"), settings.token(), settings.file());
        }
        if (a.option("--token") != null) {
            settings = new CliSettings(settings.url(), a.option("--token"), settings.file());
        }
        ApiClient api = new ApiClient(settings.url(), settings.token());
        Commands commands = new Commands(api, out, a.flag("--json"), Colors.detect(env));
        return switch (command) {
            case "help", "--help" -> {
                out.print(USAGE);
                yield Outcome.SUCCEEDED;
            }
            case "login" -> login(settings, a);
            case "envs" -> commands.envs();
            case "releases" -> commands.releases(a.option("--limit") == null ? 20 : parse(a.option("--limit")));
            case "release" -> commands.createRelease(sub(a, "create"), a);
            case "deploy" ->
                commands.follow(
                        a,
                        api.post(
                                "/api/environments/" + a.word(1, "ENV") + "/deployments",
                                deployment(a.number(2, "RELEASE"), a.flag("--allow-irreversible"))));
            case "rollback" ->
                commands.follow(a, api.post("/api/environments/" + a.word(1, "ENV") + "/rollback", Map.of()));
            case "promote" -> commands.promote(a);
            case "approve" ->
                commands.show(
                        api.post("/api/promotions/" + a.number(1, "PROMOTION") + "/approve", Map.of()), "promotion");
            case "reject" ->
                commands.show(
                        api.post(
                                "/api/promotions/" + a.number(1, "PROMOTION") + "/reject",
                                Map.of("reason", required(a, "--reason"))),
                        "promotion");
            case "logs" -> commands.logs(a.number(1, "JOB"), a.flag("--follow"));
            case "runbook" -> commands.runbook(a);
            case "completion" -> {
                out.print(Completion.script(a.word(1, "bash or zsh")));
                yield Outcome.SUCCEEDED;
            }
            default -> throw new Arguments.Wrong("unknown command \"" + command + "\"");
        };
    }

    private Outcome login(CliSettings settings, Arguments a) throws IOException, ApiClient.ApiError, Arguments.Wrong {
        String token = a.option("--token");
        if (token == null) {
            err.print("API token (create one on Conveyor's Tokens page): ");
            err.flush();
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            token = line == null ? "" : line.strip();
        }
        if (token.isEmpty()) {
            throw new Arguments.Wrong("expected an API token");
        }
        // Checked before it is saved: a typo is said now, not at the next command.
        new ApiClient(settings.url(), token).get("/api/tokens");
        CliSettings saved = settings.save(settings.url(), token);
        out.println("Logged in to " + saved.url() + " (saved in " + saved.file() + ")");
        return Outcome.SUCCEEDED;
    }

    private static Map<String, Object> deployment(long release, boolean allowIrreversible) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("release", release);
        if (allowIrreversible) {
            body.put("allowIrreversible", true);
        }
        return body;
    }

    private static String sub(Arguments a, String expected) throws Arguments.Wrong {
        String word = a.word(1, expected);
        if (!word.equals(expected)) {
            throw new Arguments.Wrong("expected \"" + a.words.get(0) + " " + expected + "\"");
        }
        return word;
    }

    static String required(Arguments a, String option) throws Arguments.Wrong {
        String value = a.option(option);
        if (value == null) {
            throw new Arguments.Wrong("expected " + option);
        }
        return value;
    }

    private static int parse(String number) throws Arguments.Wrong {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            throw new Arguments.Wrong("expected a number, found \"" + number + "\"");
        }
    }

    /** For {@code bin/conveyor}. */
    public static int main(List<String> args) {
        return new ConveyorCli(System.out, System.err, System.in, System.getenv()).run(args);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }
}
