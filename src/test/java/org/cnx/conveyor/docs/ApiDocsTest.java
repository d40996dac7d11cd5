package org.cnx.conveyor.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.cnx.conveyor.web.ApiDocumentFilter;
import org.junit.jupiter.api.Test;

/** docs/api.md names every endpoint of the JSON API that the OpenAPI document lists, with its method. */
@QuarkusTest
class ApiDocsTest {

    private static final Pattern PARAMETER = Pattern.compile("\\{[^}]*}");

    @Test
    void everyApiEndpointIsDocumented() throws IOException {
        String docs = normalized(Files.readString(Path.of("docs", "api.md")));
        Map<String, Map<String, Object>> paths = openApiDocument().getMap("paths");
        List<String> missing = new ArrayList<>();
        paths.forEach((path, operations) -> {
            for (String method : operations.keySet()) {
                String endpoint = method.toUpperCase(Locale.ROOT) + " " + normalized(path);
                if (!docs.contains(endpoint)) {
                    missing.add(endpoint);
                }
            }
        });
        assertEquals(List.of(), missing, "endpoints missing from docs/api.md");
    }

    @Test
    void theDocumentListsTheApiAndNotThePagesOrTheirTemplates() {
        JsonPath document = openApiDocument();
        Map<String, Object> paths = document.getMap("paths");
        assertTrue(paths.containsKey("/api/releases"), paths.keySet()::toString);
        List<String> pages = paths.keySet().stream()
                .filter(path -> ApiDocumentFilter.API_PREFIXES.stream().noneMatch(path::startsWith))
                .toList();
        assertEquals(List.of(), pages, "paths in the OpenAPI document outside the API");
        Map<String, Object> schemas = document.getMap("components.schemas");
        assertTrue(schemas.containsKey("ReleaseView"), schemas.keySet()::toString);
        assertFalse(schemas.containsKey("Template") || schemas.containsKey("EngineImpl"), schemas.keySet()::toString);
    }

    private static JsonPath openApiDocument() {
        return JsonPath.from(Api.asAdmin()
                .accept("application/json")
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    /** Path parameters are compared by position, not by name: {@code {env}} and {@code {name}} are the same. */
    private static String normalized(String text) {
        return PARAMETER.matcher(text).replaceAll("{}");
    }
}
