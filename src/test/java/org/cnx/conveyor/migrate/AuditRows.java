package org.cnx.conveyor.migrate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;

/** The audit log's actions about one subject, oldest first, read through the admin API. */
final class AuditRows {

    private AuditRows() {}

    static List<String> actions(String subject) {
        List<Map<String, Object>> entries = Api.asAdmin()
                .queryParam("subject", subject)
                .queryParam("limit", 1000)
                .get("/api/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        List<String> newestFirst = new ArrayList<>(entries.stream()
                .filter(e -> subject.equals(e.get("subject")))
                .map(e -> (String) e.get("action"))
                .toList());
        Collections.reverse(newestFirst);
        return newestFirst;
    }
}
