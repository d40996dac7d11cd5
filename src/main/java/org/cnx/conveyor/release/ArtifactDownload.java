package org.cnx.conveyor.release;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cnx.conveyor.outbound.AddressRule;

/**
 * Downloads one artifact URL into a file: every hop (redirects are followed here, not by the HTTP client) must pass
 * the {@link AddressRule}; the body is capped in size and the whole download in time. Failures name the rule that
 * stopped it; they never echo what the server answered, its status, or whether a port was open.
 */
public final class ArtifactDownload {

    /** A download that did not produce the artifact; the message is safe to show to whoever can read the job log. */
    public static final class Failed extends IOException {
        Failed(String message) {
            super(message);
        }
    }

    private final AddressRule rule;
    private final ArtifactsConfig config;
    private final HttpClient http;

    public ArtifactDownload(AddressRule rule, ArtifactsConfig config) {
        this.rule = rule;
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Downloads {@code url} into {@code file} (replaced); at most {@code conveyor.artifacts.max-download-size} bytes. */
    public void into(String url, Path file) throws Failed {
        long deadline = System.nanoTime() + config.downloadTimeout().toNanos();
        URI current = parse(url);
        for (int hop = 0; hop <= config.maxRedirects(); hop++) {
            check(current);
            HttpResponse<Path> response = send(current, file, deadline);
            int status = response.statusCode();
            if (status == 200) {
                return;
            }
            if (status >= 300
                    && status < 400
                    && response.headers().firstValue("Location").isPresent()) {
                current = redirect(
                        current, response.headers().firstValue("Location").get());
                continue;
            }
            throw unavailable(current);
        }
        throw new Failed("the artifact URL redirects more than " + config.maxRedirects()
                + " times (conveyor.artifacts.max-redirects)");
    }

    private static URI parse(String url) throws Failed {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new Failed("the artifact URL is not a valid URL");
        }
    }

    private URI redirect(URI from, String location) throws Failed {
        try {
            return from.resolve(location.strip());
        } catch (IllegalArgumentException e) {
            throw new Failed("the artifact server redirects to an invalid URL");
        }
    }

    private void check(URI uri) throws Failed {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Failed("the artifact URL (or a redirect) is not http or https");
        }
        try {
            rule.check(uri.getHost());
        } catch (AddressRule.Refused e) {
            throw new Failed("refused to download the artifact: " + e.getMessage());
        }
    }

    private HttpResponse<Path> send(URI uri, Path file, long deadline) throws Failed {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timedOut();
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofNanos(left))
                .header("User-Agent", "Conveyor")
                .GET()
                .build();
        CappedFile[] body = new CappedFile[1];
        CompletableFuture<HttpResponse<Path>> future = http.sendAsync(request, info -> {
            if (info.statusCode() != 200) {
                return BodySubscribers.replacing(null);
            }
            OptionalLong length = info.headers().firstValueAsLong("Content-Length");
            if (length.isPresent() && length.getAsLong() > config.maxDownloadSize()) {
                return BodySubscribers.replacing(null);
            }
            body[0] = new CappedFile(file, config.maxDownloadSize());
            return body[0];
        });
        try {
            HttpResponse<Path> response = future.get(left, TimeUnit.NANOSECONDS);
            if (response.statusCode() == 200 && body[0] == null) {
                throw tooLarge();
            }
            return response;
        } catch (TimeoutException e) {
            future.cancel(true);
            if (body[0] != null) {
                body[0].abort();
            }
            throw timedOut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new Failed("the download was interrupted: Conveyor is stopping");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Failed failed) {
                throw failed;
            }
            throw unavailable(uri);
        }
    }

    // One message whatever went wrong (refused connection, error status, reset), so it tells nothing about the server.
    private static Failed unavailable(URI uri) {
        return new Failed("the artifact could not be downloaded from " + uri.getHost());
    }

    private Failed timedOut() {
        return new Failed("the artifact download took longer than " + config.downloadTimeout()
                + " (conveyor.artifacts.download-timeout)");
    }

    private Failed tooLarge() {
        return new Failed("the artifact is larger than " + config.maxDownloadSize()
                + " bytes (conveyor.artifacts.max-download-size)");
    }

    /** Writes a body to a file and gives up once it passes the size cap. */
    private final class CappedFile implements BodySubscriber<Path> {

        private final Path file;
        private final long max;
        private final CompletableFuture<Path> result = new CompletableFuture<>();
        private FileChannel channel;
        private Flow.Subscription subscription;
        private long written;

        CappedFile(Path file, long max) {
            this.file = file;
            this.max = max;
        }

        @Override
        public CompletionStage<Path> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            try {
                channel = FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
                subscription.request(1);
            } catch (IOException e) {
                subscription.cancel();
                result.completeExceptionally(new Failed("cannot write the download on Conveyor's machine"));
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            try {
                for (ByteBuffer buffer : buffers) {
                    written += buffer.remaining();
                    if (written > max) {
                        abort();
                        result.completeExceptionally(tooLarge());
                        return;
                    }
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
                subscription.request(1);
            } catch (IOException e) {
                abort();
                result.completeExceptionally(new Failed("cannot write the download on Conveyor's machine"));
            }
        }

        @Override
        public void onError(Throwable error) {
            close();
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            close();
            result.complete(file);
        }

        void abort() {
            subscription.cancel();
            close();
        }

        private void close() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // The file is deleted by the caller when the download fails.
            }
        }
    }
}
