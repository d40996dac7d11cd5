package org.cnx.conveyor.auth;

import io.quarkus.oidc.UserInfo;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads claims of a single sign-on identity: from the ID token, else from the provider's user info (GitHub). */
final class OidcClaims {

    private final JsonWebToken idToken;
    private final UserInfo userInfo;

    private OidcClaims(JsonWebToken idToken, UserInfo userInfo) {
        this.idToken = idToken;
        this.userInfo = userInfo;
    }

    static OidcClaims of(SecurityIdentity identity) {
        JsonWebToken token = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt : null;
        return new OidcClaims(token, identity.getAttribute("userinfo"));
    }

    /** The subject, the stable identifier of the user at the provider. */
    String subject() {
        List<String> subject = values("sub");
        if (subject.isEmpty() && userInfo != null && userInfo.get("id") != null) {
            return String.valueOf(userInfo.get("id"));
        }
        return subject.isEmpty() ? null : subject.get(0);
    }

    /** The values of a claim as strings: one for a string or number, several for a list; a dotted name descends. */
    List<String> values(String name) {
        String[] path = name.split("\\.");
        Object value = idToken == null ? null : idToken.getClaim(path[0]);
        if (value == null && userInfo != null) {
            value = userInfo.getJsonObject().get(path[0]);
        }
        for (int i = 1; i < path.length && value != null; i++) {
            value = value instanceof JsonObject object
                    ? object.get(path[i])
                    : value instanceof Map<?, ?> map ? map.get(path[i]) : null;
        }
        return strings(value);
    }

    private static List<String> strings(Object value) {
        if (value == null || value == JsonValue.NULL) {
            return List.of();
        }
        if (value instanceof JsonArray array) {
            return array.stream().flatMap(v -> strings(v).stream()).toList();
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().flatMap(v -> strings(v).stream()).toList();
        }
        if (value instanceof JsonString string) {
            return List.of(string.getString());
        }
        return List.of(value.toString());
    }
}
