package org.cnx.conveyor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where the command line finds Conveyor and its token: {@code CONVEYOR_URL} and {@code CONVEYOR_TOKEN} first, then
 * {@code $XDG_CONFIG_HOME/conveyor/config.json} (or {@code ~/.config/conveyor/config.json}), written by {@code login}.
 */
record CliSettings(String url, String token, Path file) {

    static final String DEFAULT_URL = "http://localhost:8080";

    static CliSettings load(Map<String, String> env) throws IOException {
        Path file = file(env);
        String url = null;
        String token = null;
        if (Files.isRegularFile(file)) {
            var saved = new ObjectMapper().readTree(file.toFile());
            url = saved.path("url").asText(null);
            token = saved.path("token").asText(null);
        }
        url = env.getOrDefault("CONVEYOR_URL", url);
        token = env.getOrDefault("CONVEYOR_TOKEN", token);
        return new CliSettings(url == null ? DEFAULT_URL : url, token, file);
    }

    static Path file(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("conveyor").resolve("config.json");
    }

    /** Saves the URL and token, readable by the user alone: the token is as good as their password. */
    CliSettings save(String newUrl, String newToken) throws IOException {
        Files.createDirectories(file.getParent());
        ObjectNode json =
                new ObjectMapper().createObjectNode().put("url", newUrl).put("token", newToken);
        Path partial = file.resolveSibling("config.json.new");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, json.toPrettyString() + "\n");
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new CliSettings(newUrl, newToken, file);
    }
}
