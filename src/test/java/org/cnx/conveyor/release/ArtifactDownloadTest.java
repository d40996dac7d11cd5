package org.cnx.conveyor.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnx.conveyor.outbound.AddressRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Artifact URLs against real HTTP servers on this machine: what is refused before any request, and the caps. */
@Timeout(30)
class ArtifactDownloadTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(String address, HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            handler.handle(exchange);
        });
        server.start();
        return "http://" + address + ":" + server.getAddress().getPort();
    }

    private static HttpHandler body(int status, String text) {
        return exchange -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    private static ArtifactDownload download(Limits limits) {
        return new ArtifactDownload(new AddressRule(limits.allowedHosts(), "conveyor.artifacts.allowed-hosts"), limits);
    }

    private void refused(Limits limits, String url, String rule) {
        assertThatThrownBy(() -> download(limits).into(url, dir.resolve("a.tar.gz")))
                .isInstanceOf(ArtifactDownload.Failed.class)
                .hasMessageContaining(rule);
    }

    @Test
    void loopbackAddressesAndNamesAreRefusedBeforeAnyRequest() throws IOException {
        String base = serve("127.0.0.1", body(200, "master key"));
        int port = server.getAddress().getPort();
        refused(Limits.allowing(), base + "/a.tar.gz", "resolves to a loopback address");
        refused(Limits.allowing(), "http://localhost:" + port + "/a.tar.gz", "resolves to a loopback address");
        refused(Limits.allowing(), "http://[::1]:" + port + "/a.tar.gz", "resolves to a loopback address");
        assertThat(requests).hasValue(0);
    }

    @Test
    void cloudMetadataAndPrivateNetworksAreRefused() {
        refused(Limits.allowing(), "http://169.254.169.254/latest/meta-data/", "resolves to a link-local address");
        refused(Limits.allowing(), "http://10.1.2.3/a.tar.gz", "resolves to a private address");
        refused(Limits.allowing(), "http://[fd00::1]/a.tar.gz", "resolves to a private address");
    }

    @Test
    void aRedirectFromAnAllowedHostToALoopbackOneIsRefused() throws IOException {
        HttpServer secret = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger secretRequests = new AtomicInteger();
        secret.createContext("/", exchange -> {
            secretRequests.incrementAndGet();
            body(200, "internal").handle(exchange);
        });
        secret.start();
        try {
            String base = serve("127.0.0.2", exchange -> {
                exchange.getResponseHeaders()
                        .add(
                                "Location",
                                "http://127.0.0.1:" + secret.getAddress().getPort() + "/admin");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            });
            refused(Limits.allowing("127.0.0.2"), base + "/a.tar.gz", "host 127.0.0.1 resolves to a loopback address");
            assertThat(requests).hasValue(1);
            assertThat(secretRequests).hasValue(0);
        } finally {
            secret.stop(0);
        }
    }

    @Test
    void anAllowedHostServesTheArtifactAndRedirectsWithinAllowedHostsAreFollowed() throws IOException {
        String base = serve("127.0.0.2", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/old")) {
                exchange.getResponseHeaders().add("Location", "/new");
                exchange.sendResponseHeaders(301, -1);
                exchange.close();
            } else {
                body(200, "tarball bytes").handle(exchange);
            }
        });
        Path file = dir.resolve("a.tar.gz");
        download(Limits.allowing("127.0.0.2")).into(base + "/old", file);
        assertThat(Files.readString(file)).isEqualTo("tarball bytes");
    }

    @Test
    void theErrorTellsNeitherTheStatusNorTheBody() throws IOException {
        String base = serve("127.0.0.2", body(404, "secret page content"));
        assertThatThrownBy(() -> download(Limits.allowing("127.0.0.2")).into(base + "/a", dir.resolve("a")))
                .isInstanceOf(ArtifactDownload.Failed.class)
                .hasMessage("the artifact could not be downloaded from 127.0.0.2")
                .message()
                .doesNotContain("404")
                .doesNotContain("secret");
    }

    @Test
    void aClosedPortReadsTheSameAsAnErrorStatus() throws IOException {
        int port;
        try (java.net.ServerSocket closed =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.2"))) {
            port = closed.getLocalPort();
        }
        assertThatThrownBy(() -> download(Limits.allowing("127.0.0.2"))
                        .into("http://127.0.0.2:" + port + "/a", dir.resolve("a")))
                .hasMessage("the artifact could not be downloaded from 127.0.0.2");
    }

    @Test
    void aBodyLargerThanTheCapIsRefusedWithOrWithoutALength() throws IOException {
        byte[] big = new byte[3 << 20];
        String base = serve("127.0.0.2", exchange -> {
            // Chunked (no length) for /chunked, so the cap is enforced while reading too.
            exchange.sendResponseHeaders(200, exchange.getRequestURI().getPath().equals("/chunked") ? 0 : big.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(big);
            } catch (IOException e) {
                // The client hung up once past its cap.
            }
        });
        for (String path : new String[] {"/length", "/chunked"}) {
            assertThatThrownBy(() -> download(Limits.allowing("127.0.0.2")).into(base + path, dir.resolve("a")))
                    .hasMessageContaining("larger than 1048576 bytes (conveyor.artifacts.max-download-size)");
        }
    }

    @Test
    void aServerThatNeverFinishesRunsIntoTheTimeLimit() throws IOException {
        String base = serve("127.0.0.2", exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            exchange.getResponseBody().write(new byte[10]);
            exchange.getResponseBody().flush();
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        assertThatThrownBy(() -> download(Limits.allowing("127.0.0.2").timeout(Duration.ofMillis(500)))
                        .into(base + "/slow", dir.resolve("a")))
                .hasMessageContaining("took longer than PT0.5S (conveyor.artifacts.download-timeout)");
    }

    @Test
    void anOptionalAllowListOfNoneAllowsNothingLocal() {
        refused(
                new Limits(java.util.List.of(), Optional.empty(), 1, Duration.ofSeconds(1)),
                "http://127.0.0.1:1/",
                "loopback");
    }
}
