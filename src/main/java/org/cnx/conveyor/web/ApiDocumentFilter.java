package org.cnx.conveyor.web;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.smallrye.openapi.api.util.FilterUtil;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Paths;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Keeps the OpenAPI document to the JSON API and the webhook receiver: the HTML pages, and the template classes they
 * return, are not an API.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ApiDocumentFilter implements OASFilter {

    /** The paths the document lists; docs/api.md describes each of them. */
    public static final List<String> API_PREFIXES = List.of("/api/", "/hooks/");

    private static final String SCHEMA_REF = "#/components/schemas/";

    @Override
    public void filterOpenAPI(OpenAPI document) {
        Paths paths = document.getPaths();
        paths.getPathItems().keySet().stream()
                .filter(path -> API_PREFIXES.stream().noneMatch(path::startsWith))
                .toList()
                .forEach(paths::removePathItem);
        keepReachableSchemas(document);
    }

    /**
     * Drops the schemas no remaining path reaches. Qute's classes refer to each other (a template to its engine and
     * back), so a schema that nothing else names is not enough: the kept set grows from the paths' references until
     * it holds every schema they reach.
     */
    private static void keepReachableSchemas(OpenAPI document) {
        Components components = document.getComponents();
        if (components == null || components.getSchemas() == null) {
            return;
        }
        Map<String, Schema> all = new LinkedHashMap<>(components.getSchemas());
        Set<String> kept = Set.of();
        while (true) {
            Map<String, Schema> subset = new LinkedHashMap<>(all);
            subset.keySet().retainAll(kept);
            components.setSchemas(subset);
            Set<String> referenced = referencedSchemas(document);
            if (referenced.equals(kept)) {
                return;
            }
            kept = referenced;
        }
    }

    private static Set<String> referencedSchemas(OpenAPI document) {
        Set<String> names = new HashSet<>();
        FilterUtil.applyFilter(
                new OASFilter() {
                    @Override
                    public Schema filterSchema(Schema schema) {
                        String ref = schema.getRef();
                        if (ref != null && ref.startsWith(SCHEMA_REF)) {
                            names.add(ref.substring(SCHEMA_REF.length()));
                        }
                        return schema;
                    }
                },
                document);
        return names;
    }
}
