package org.cnx.conveyor.cli;

import static org.cnx.conveyor.cli.ConveyorCli.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The commands that read and change things through the API, printing tables or, with {@code --json}, the JSON. */
final class Commands {

    private final ApiClient api;
    private final PrintStream out;
    private final boolean json;
    private final Colors colors;

    Commands(ApiClient api, PrintStream out, boolean json, Colors colors) {
        this.api = api;
        this.out = out;
        this.json = json;
        this.colors = colors;
    }

    Outcome envs() throws IOException, ApiClient.ApiError {
        JsonNode envs = api.get("/api/environments");
        if (json) {
            return print(envs);
        }
        out.printf("%-24s %-10s %-12s %-8s %s%n", "NAME", "KIND", "STAGE", "RELEASE", "HEALTH");
        for (JsonNode e : envs) {
            out.printf(
                    "%-24s %-10s %-12s %-8s %s%n",
                    text(e, "name"), text(e, "kind"), text(e, "stage"), text(e, "currentRelease"), text(e, "health"));
        }
        return Outcome.SUCCEEDED;
    }

    Outcome releases(int limit) throws IOException, ApiClient.ApiError {
        JsonNode releases = api.get("/api/releases?limit=" + limit);
        if (json) {
            return print(releases);
        }
        out.printf("%-6s %-22s %-12s %s%n", "ID", "CREATED", "BY", "COMPONENTS");
        for (JsonNode r : releases) {
            StringBuilder components = new StringBuilder();
            r.path("components")
                    .fields()
                    .forEachRemaining(c -> components
                            .append(components.isEmpty() ? "" : ", ")
                            .append(c.getKey())
                            .append(' ')
                            .append(c.getValue().path("version").asText()));
            out.printf(
                    "%-6s %-22s %-12s %s%n",
                    text(r, "id"),
                    text(r, "createdAt").replaceFirst("\\.\\d+Z$", "Z"),
                    text(r, "createdBy"),
                    components);
        }
        return Outcome.SUCCEEDED;
    }

    /** Checksums the artifacts, uploads those Conveyor lacks, creates the release and prints its id. */
    Outcome createRelease(String unused, Arguments a)
            throws IOException, ApiClient.ApiError, ReleaseFiles.Unusable, Arguments.Wrong {
        Map<String, ReleaseFiles.Artifact> artifacts = a.option("--list") != null
                ? ReleaseFiles.ofList(Path.of(a.option("--list")))
                : ReleaseFiles.of(a.words.subList(2, a.words.size()).stream()
                        .map(Path::of)
                        .toList());
        Map<String, Object> components = new LinkedHashMap<>();
        for (ReleaseFiles.Artifact artifact : artifacts.values()) {
            if (api.hasArtifact(artifact.sha256())) {
                status("have " + artifact.file().getFileName() + " already");
            } else {
                api.upload(artifact.sha256(), artifact.file());
                status("uploaded " + artifact.file().getFileName());
            }
            components.put(
                    artifact.component(),
                    Map.of("version", artifact.version(), "artifact", Map.of("sha256", artifact.sha256())));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("components", components);
        if (a.option("--notes") != null) {
            body.put("notes", a.option("--notes"));
        }
        Map<String, Object> source = new LinkedHashMap<>();
        for (String field : List.of("branch", "commit", "repository")) {
            if (a.option("--" + field) != null) {
                source.put(field, a.option("--" + field));
            }
        }
        if (a.option("--committed-at") != null) {
            source.put("committedAt", a.option("--committed-at"));
        }
        if (!source.isEmpty()) {
            body.put("source", source);
        }
        JsonNode release = api.post("/api/releases", body);
        if (json) {
            return print(release);
        }
        out.println(release.path("id").asLong());
        return Outcome.SUCCEEDED;
    }

    /** Prints the job just started; with {@code --follow}, its live log, and its outcome as the exit code. */
    Outcome follow(Arguments a, JsonNode job) throws IOException, ApiClient.ApiError {
        long id = job.path("id").asLong();
        if (!a.flag("--follow")) {
            if (json) {
                return print(job);
            }
            out.println("job " + id + " " + text(job, "status") + ": " + text(job, "type") + " of release "
                    + text(job, "release") + " to " + text(job, "environment"));
            return Outcome.SUCCEEDED;
        }
        status("job " + id + ": " + text(job, "type") + " of release " + text(job, "release") + " to "
                + text(job, "environment"));
        return Outcome.ofJob(new LogFollower(api, json ? System.err : out, colors).follow(id));
    }

    Outcome promote(Arguments a) throws IOException, ApiClient.ApiError, Arguments.Wrong {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("release", a.number(1, "RELEASE"));
        body.put("environment", a.word(2, "ENV"));
        if (a.option("--note") != null) {
            body.put("note", a.option("--note"));
        }
        JsonNode promotion = api.post("/api/promotions", body);
        JsonNode job = promotion.path("job");
        if (a.flag("--follow") && job.isNumber()) {
            status("promotion " + text(promotion, "id") + " " + text(promotion, "state"));
            return Outcome.ofJob(new LogFollower(api, out, colors).follow(job.asLong()));
        }
        return show(promotion, "promotion");
    }

    Outcome show(JsonNode thing, String what) {
        if (json) {
            return print(thing);
        }
        out.println(what + " " + text(thing, "id") + " " + text(thing, "state"));
        return Outcome.SUCCEEDED;
    }

    Outcome logs(long job, boolean follow) throws IOException, ApiClient.ApiError {
        if (follow) {
            return Outcome.ofJob(new LogFollower(api, out, colors).follow(job));
        }
        out.print(api.text("/api/jobs/" + job + "/log.txt"));
        return Outcome.SUCCEEDED;
    }

    Outcome runbook(Arguments a) throws IOException, ApiClient.ApiError, Arguments.Wrong {
        String action = a.word(1, "list or run");
        String env = a.word(2, "ENV");
        if (action.equals("list")) {
            JsonNode runbooks = api.get("/api/environments/" + env + "/runbooks");
            if (json) {
                return print(runbooks);
            }
            for (JsonNode r : runbooks) {
                out.printf("%-20s %s%n", text(r, "name"), text(r, "description"));
            }
            return Outcome.SUCCEEDED;
        }
        if (!action.equals("run")) {
            throw new Arguments.Wrong("expected \"runbook list\" or \"runbook run\"");
        }
        String name = a.word(3, "NAME");
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String param : a.all("--param")) {
            int eq = param.indexOf('=');
            if (eq <= 0) {
                throw new Arguments.Wrong("expected --param NAME=VALUE, found \"" + param + "\"");
            }
            parameters.put(param.substring(0, eq), param.substring(eq + 1));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("parameters", parameters);
        if (a.option("--confirm") != null) {
            body.put("confirm", a.option("--confirm"));
        }
        return follow(a, api.post("/api/environments/" + env + "/runbooks/" + name + "/runs", body));
    }

    private Outcome print(JsonNode node) {
        out.println(node.toPrettyString());
        return Outcome.SUCCEEDED;
    }

    /** Progress for a person; with --json it goes to stderr so stdout stays one JSON document. */
    private void status(String message) {
        (json ? System.err : out).println(colors.dim(message));
    }
}
