package org.cnx.conveyor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints a job's live log as it is written (the Server-Sent Events of {@code GET /api/jobs/{id}/log}) and returns the
 * job's final status. A dropped connection is resumed after the last line printed, so no line is lost or repeated.
 */
final class LogFollower {

    private static final int RECONNECTS = 5;

    private final ApiClient api;
    private final PrintStream out;
    private final Colors colors;
    private long lastSeq = -1;

    LogFollower(ApiClient api, PrintStream out, Colors colors) {
        this.api = api;
        this.out = out;
        this.colors = colors;
    }

    /** Follows job {@code id} to its end; its status ({@code succeeded}, {@code rolled_back}…). */
    String follow(long id) throws IOException, ApiClient.ApiError {
        for (int attempt = 0; attempt <= RECONNECTS; attempt++) {
            String path = "/api/jobs/" + id + "/log" + (lastSeq >= 0 ? "?after=" + lastSeq : "");
            try (InputStream stream = api.events(path)) {
                String status = read(stream);
                if (status != null) {
                    return status;
                }
            } catch (IOException e) {
                if (attempt == RECONNECTS) {
                    throw e;
                }
            }
        }
        // The stream kept closing without its end event: ask for the status itself.
        return api.get("/api/jobs/" + id).path("job").path("status").asText();
    }

    private String read(InputStream stream) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        String event = "message";
        StringBuilder data = new StringBuilder();
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.isEmpty()) {
                String status = dispatch(event, data.toString());
                if (status != null) {
                    return status;
                }
                event = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
            }
        }
        return null;
    }

    private String dispatch(String event, String data) throws IOException {
        if (data.isEmpty()) {
            return null;
        }
        JsonNode json = ApiClient.JSON.readTree(data);
        switch (event) {
            case "line" -> print(json);
            case "end" -> {
                String status = json.path("status").asText();
                String error = json.path("error").isNull()
                        ? ""
                        : " — " + json.path("error").asText("");
                out.println(colors.status(status, "job " + status + error));
                return status;
            }
            default -> {
                // progress events repeat what the lines say
            }
        }
        return null;
    }

    private void print(JsonNode line) {
        long seq = line.path("seq").asLong();
        if (seq <= lastSeq) {
            return;
        }
        lastSeq = seq;
        String where =
                line.path("host").asText("") + "/" + line.path("component").asText("");
        String text = line.path("line").asText("");
        boolean stderr = "stderr".equals(line.path("stream").asText());
        out.println(colors.dim(where) + " " + (stderr ? colors.red(text) : text));
    }
}
