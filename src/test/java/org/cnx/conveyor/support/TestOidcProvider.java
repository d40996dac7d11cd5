package org.cnx.conveyor.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small OpenID Connect provider running inside the test: discovery, keys, an authorization endpoint that logs in
 * whoever {@link #nextLogin} names without asking, and a token endpoint issuing RS256-signed ID tokens.
 */
public class TestOidcProvider implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "conveyor";
    public static final String CLIENT_SECRET = "a-client-secret-long-enough-to-encrypt-state";

    /** Who the provider logs in next: subject, user name and groups. */
    public record Login(String subject, String username, List<String> groups) {}

    private static volatile Login next = new Login("subject-1", "someone", List.of());
    private static final Map<String, Login> CODES = new ConcurrentHashMap<>();

    private HttpServer server;
    private KeyPair keys;
    private String issuer;

    public static void nextLogin(String subject, String username, String... groups) {
        next = new Login(subject, username, List.of(groups));
    }

    @Override
    public Map<String, String> start() {
        try {
            keys = rsaKeys();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realm";
        server.createContext("/realm/.well-known/openid-configuration", this::discovery);
        server.createContext("/realm/keys", exchange -> send(exchange, 200, jwks()));
        server.createContext("/realm/authorize", this::authorize);
        server.createContext("/realm/token", this::token);
        server.start();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.oidc.tenant-enabled", "true");
        config.put("quarkus.oidc.auth-server-url", issuer);
        config.put("quarkus.oidc.client-id", CLIENT_ID);
        config.put("quarkus.oidc.credentials.secret", CLIENT_SECRET);
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        send(exchange, 200, """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                 "jwks_uri":"%1$s/keys","response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["RS256"]}""".formatted(issuer));
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
        String code = UUID.randomUUID().toString();
        CODES.put(code, next);
        String location = query.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Login login = CODES.remove(form.getOrDefault("code", ""));
        String expected = "Basic "
                + Base64.getEncoder()
                        .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        if (login == null || !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        String idToken = Jwt.issuer(issuer)
                .subject(login.subject())
                .audience(CLIENT_ID)
                .claim("preferred_username", login.username())
                .groups(Set.copyOf(login.groups()))
                .expiresIn(300)
                .jws()
                .keyId("test-key")
                .sign(keys.getPrivate());
        String accessToken = Jwt.issuer(issuer)
                .subject(login.subject())
                .audience(CLIENT_ID)
                .expiresIn(300)
                .jws()
                .keyId("test-key")
                .sign(keys.getPrivate());
        send(
                exchange,
                200,
                "{\"access_token\":\"" + accessToken + "\",\"id_token\":\"" + idToken
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    }

    private String jwks() {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"test-key\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                + base64Url(key.getModulus()) + "\",\"e\":\"" + base64Url(key.getPublicExponent()) + "\"}]}";
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
