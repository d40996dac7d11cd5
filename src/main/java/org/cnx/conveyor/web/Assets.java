package org.cnx.conveyor.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Versioned addresses of the static styles and scripts, {@code {inject:assets.url('/css/conveyor.css')}} →
 * {@code /css/conveyor.css?v=<first 12 hex digits of its SHA-256>}: a file asked for by its current version may be
 * cached for a year as {@code immutable}, since a changed file gets a new address; any other request of it is
 * revalidated ({@code no-cache}).
 */
@Named("assets")
@ApplicationScoped
public class Assets {

    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";

    private final Map<String, String> versions = new ConcurrentHashMap<>();

    public String url(String path) {
        return path + "?v=" + version(path);
    }

    String version(String path) {
        return versions.computeIfAbsent(path, Assets::digest);
    }

    void register(@Observes Filters filters) {
        filters.register(this::cacheHeaders, 900);
    }

    private void cacheHeaders(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.startsWith("/css/") || path.startsWith("/js/")) {
            String asked = context.request().getParam("v");
            String policy = asked != null && asked.equals(version(path)) ? IMMUTABLE : REVALIDATE;
            context.addHeadersEndHandler(ignored -> {
                if (context.response().getStatusCode() == 200) {
                    context.response().headers().set("Cache-Control", policy);
                }
            });
        }
        context.next();
    }

    private static String digest(String path) {
        try (InputStream in = Assets.class.getResourceAsStream("/META-INF/resources" + path)) {
            if (in == null) {
                return "missing";
            }
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
