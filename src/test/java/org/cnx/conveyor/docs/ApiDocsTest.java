package org.cnx.conveyor.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.cnx.conveyor.support.Api;
import org.junit.jupiter.api.Test;

/** docs/api.md names every endpoint of the JSON API that the OpenAPI document lists, with its method. */
@QuarkusTest
class ApiDocsTest {

    private static final Pattern PARAMETER = Pattern.compile("\\{[^}]*}");
    private static final List<String> DOCUMENTED_PREFIXES = List.of("/api/", "/hooks/");

    @Test
    void everyApiEndpointIsDocumented() throws IOException {
        String docs = normalized(Files.readString(Path.of("docs", "api.md")));
        Map<String, Map<String, Object>> paths = JsonPath.from(Api.asAdmin()
                        .accept("application/json")
                        .get("/q/openapi?format=json")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .getMap("paths");
        List<String> missing = new ArrayList<>();
        paths.forEach((path, operations) -> {
            if (DOCUMENTED_PREFIXES.stream().noneMatch(path::startsWith)) {
                return;
            }
            for (String method : operations.keySet()) {
                String endpoint = method.toUpperCase(Locale.ROOT) + " " + normalized(path);
                if (!docs.contains(endpoint)) {
                    missing.add(endpoint);
                }
            }
        });
        assertEquals(List.of(), missing, "endpoints missing from docs/api.md");
    }

    /** Path parameters are compared by position, not by name: {@code {env}} and {@code {name}} are the same. */
    private static String normalized(String text) {
        return PARAMETER.matcher(text).replaceAll("{}");
    }
}
