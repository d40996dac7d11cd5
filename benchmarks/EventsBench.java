import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook fan-out benchmark, JDK only (the subscribers must take 10,000 requests/s on 2 cores, which a Python
 * receiver cannot). Run as a single-file program:
 *
 * <pre>
 *   java benchmarks/EventsBench.java webhooks N_EVENTS N_SUBSCRIBERS PUBLISHERS [RATE [LABEL]]
 *       publish N events (type bench.LABEL, default tick) as service "bench", as fast as PUBLISHERS clients can or
 *       paced at RATE events/s, and receive them at N loopback subscribers of bench.LABEL; prints figures
 *   java benchmarks/EventsBench.java publish N_EVENTS PUBLISHERS     only publish (the Kafka relay's backlog)
 * </pre>
 *
 * Settings from the environment: CONVEYOR_URL, CONVEYOR_USER, CONVEYOR_PASSWORD; BENCH_BATCH (1): events per POST,
 * more than 1 publishes through POST /api/events/batch (a paced batch is sent when its first event is due);
 * BENCH_DELIVERY_TIMEOUT (s). Latency of a delivery: the publisher's POST was sent -> the subscriber received the
 * signed request (one process, one clock). Every received request's Conveyor-Signature is checked; a bad one counts
 * as an error.
 */
public class EventsBench {

    static final String URL = System.getenv().getOrDefault("CONVEYOR_URL", "http://127.0.0.1:8080").replaceAll("/$", "");
    static final String ADMIN = basic(
            System.getenv().getOrDefault("CONVEYOR_USER", "admin"), System.getenv().getOrDefault("CONVEYOR_PASSWORD", ""));
    // The password policy refuses a password that contains the user name ("bench").
    static final String SERVICE_PASSWORD = "publisher-secret-4071";
    static final String SECRET = "bench-webhook-secret-0123456789";
    static final int BATCH = Integer.parseInt(System.getenv().getOrDefault("BENCH_BATCH", "1"));
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    static final Pattern SUBSCRIPTION_ID = Pattern.compile("^\\{\\s*\"id\"\\s*:\\s*(\\d+)");
    static final Pattern EVENT_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    /** When each event's POST was sent, by event id (milliseconds since the epoch, one clock for all). */
    static final Map<String, Long> SENT = new ConcurrentHashMap<>();
    /** First receipt of each (subscriber port, event id). */
    static final Map<String, Long> RECEIVED = new ConcurrentHashMap<>();
    static final AtomicInteger SIGNATURE_ERRORS = new AtomicInteger();
    static final AtomicLong LAST_RECEIPT = new AtomicLong();

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "webhooks" -> webhooks(
                    Integer.parseInt(args[1]),
                    Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]),
                    args.length > 4 ? Double.parseDouble(args[4]) : 0,
                    args.length > 5 ? args[5] : "tick");
            case "publish" -> {
                String auth = serviceAuth();
                long start = System.currentTimeMillis();
                int n = Integer.parseInt(args[1]);
                publishAll(n, Integer.parseInt(args[2]), auth, 0, "bench.tick", start);
                double s = (System.currentTimeMillis() - start) / 1000.0;
                System.out.printf("published %d events in %.1f s (%.1f/s)%n", n, s, n / s);
            }
            default -> {
                System.err.println("usage: EventsBench webhooks N SUBSCRIBERS PUBLISHERS [RATE [LABEL]] | publish N PUBLISHERS");
                System.exit(2);
            }
        }
    }

    static void webhooks(int n, int subscribers, int publishers, double rate, String label) throws Exception {
        String auth = serviceAuth();
        List<Receiver> servers = new ArrayList<>();
        List<String> subscriptions = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            Receiver server = new Receiver();
            int port = server.port;
            servers.add(server);
            String created = call("POST", "/api/subscriptions", ADMIN, "application/json", "{\"url\":\"http://127.0.0.1:"
                    + port + "/hook\",\"types\":[\"bench." + label + "\"],\"environments\":[],\"secret\":\"" + SECRET
                    + "\"}");
            Matcher id = SUBSCRIPTION_ID.matcher(created);
            if (id.find()) {
                subscriptions.add(id.group(1));
            }
        }
        double conveyorBefore = conveyorCpu();
        long start = System.currentTimeMillis();
        publishAll(n, publishers, auth, rate, "bench." + label, start);
        long published = System.currentTimeMillis();
        long expected = (long) n * subscribers;
        long deadline = System.currentTimeMillis()
                + 1000L * Long.parseLong(System.getenv().getOrDefault("BENCH_DELIVERY_TIMEOUT", "1800"));
        while (RECEIVED.size() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        double conveyorCpu = conveyorCpu() - conveyorBefore;
        long done = RECEIVED.isEmpty() ? System.currentTimeMillis() : LAST_RECEIPT.get();
        servers.forEach(Receiver::close);
        // Unsubscribed, so a later phase's Conveyor does not scan its events for these subscriptions too.
        subscriptions.forEach(id -> call("DELETE", "/api/subscriptions/" + id, ADMIN, "application/json", ""));
        double[] all = latencies(0);
        dump(System.getenv("BENCH_DUMP"), start);
        // The same without the first 10% of events: a freshly started JVM is still compiling its hot paths.
        long[] sentTimes = SENT.values().stream().mapToLong(Long::longValue).sorted().toArray();
        double[] warm = latencies(sentTimes.length == 0 ? 0 : sentTimes[sentTimes.length / 10]);
        double wall = (done - start) / 1000.0;
        String pace = rate > 0 ? "paced at " + rate + "/s" : "as fast as possible";
        System.out.printf("published %d events in %.1f s (%.1f/s, %d publishers, %d per POST, %s)%n",
                n, (published - start) / 1000.0, n * 1000.0 / (published - start), publishers, BATCH, pace);
        System.out.printf("delivered %d/%d to %d subscribers in %.1f s: %.1f events/s to all, %.1f deliveries/s; "
                        + "latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; signature errors %d%n",
                RECEIVED.size(), expected, subscribers, wall, n / wall, RECEIVED.size() / wall,
                pct(all, 50), pct(all, 99), all.length == 0 ? 0 : all[all.length - 1], SIGNATURE_ERRORS.get());
        System.out.printf("without the first 10%% of events (JVM warm-up): latency p50 %.1f ms, p99 %.1f ms%n",
                pct(warm, 50), pct(warm, 99));
        System.out.printf("JSON {\"events\": %d, \"subscribers\": %d, \"publishers\": %d, \"paced_rate\": %s, "
                        + "\"batch\": %d, \"deliveries\": %d, \"expected\": %d, \"signature_errors\": %d, "
                        + "\"publish_per_s\": %.1f, \"events_fanned_out_per_s\": %.1f, \"deliveries_per_s\": %.1f, "
                        + "\"latency_p50_ms\": %.1f, \"latency_p99_ms\": %.1f, \"warm_latency_p99_ms\": %.1f, "
                        + "\"wall_s\": %.1f, \"bench_cpu_s\": %.1f, \"conveyor_cpu_s\": %.2f, "
                        + "\"conveyor_us_per_delivery\": %.1f}%n",
                n, subscribers, publishers, rate, BATCH, RECEIVED.size(), expected, SIGNATURE_ERRORS.get(),
                n * 1000.0 / (published - start), n / wall, RECEIVED.size() / wall, pct(all, 50), pct(all, 99),
                pct(warm, 99), wall, cpuSeconds(), conveyorCpu,
                RECEIVED.isEmpty() ? 0 : conveyorCpu * 1e6 / RECEIVED.size());
        if (conveyorCpu > 0) {
            System.out.printf("Conveyor's CPU from the first POST to the last receipt: %.2f s, %.1f us per delivery%n",
                    conveyorCpu, conveyorCpu * 1e6 / Math.max(1, RECEIVED.size()));
        }
        if (RECEIVED.size() < expected || SIGNATURE_ERRORS.get() > 0) {
            System.out.printf("FAILED: %d of %d deliveries, %d signature errors%n",
                    RECEIVED.size(), expected, SIGNATURE_ERRORS.get());
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * A subscriber: a loopback HTTP/1.1 server with a thread per connection (Conveyor keeps one per subscription)
     * that reads each request whole (request line, headers, the Content-Length body), pipelined ones one after the
     * other, checks it and answers 200, or 400 when its signature does not hold. Answers are flushed once no further
     * request is waiting. A request without Content-Length (chunked) counts as an error: Conveyor does not send one.
     * It replaced com.sun.net.httpserver, which cost as much CPU per request as Conveyor's whole delivery.
     */
    static final class Receiver implements AutoCloseable {
        static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        static final byte[] BAD = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        final ServerSocket server;
        final int port;
        final List<Socket> connections = new java.util.concurrent.CopyOnWriteArrayList<>();

        Receiver() throws IOException {
            server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
            port = server.getLocalPort();
            Thread accept = new Thread(this::accept, "receiver-" + port);
            accept.setDaemon(true);
            accept.start();
        }

        void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.add(socket);
                    Thread thread = new Thread(() -> serve(socket), "receiver-" + port + "-connection");
                    thread.setDaemon(true);
                    thread.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        void serve(Socket socket) {
            try (socket) {
                socket.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 13);
                String request;
                while ((request = line(in)) != null) {
                    if (request.isEmpty()) {
                        continue;
                    }
                    int length = -1;
                    String signature = null;
                    String header;
                    while ((header = line(in)) != null && !header.isEmpty()) {
                        int colon = header.indexOf(':');
                        String name = colon < 0 ? header : header.substring(0, colon).trim();
                        String value = colon < 0 ? "" : header.substring(colon + 1).trim();
                        if (name.equalsIgnoreCase("Content-Length")) {
                            length = Integer.parseInt(value);
                        } else if (name.equalsIgnoreCase("Conveyor-Signature")) {
                            signature = value;
                        }
                    }
                    if (header == null || length < 0) {
                        SIGNATURE_ERRORS.incrementAndGet();
                        out.write(BAD);
                        out.flush();
                        return;
                    }
                    byte[] body = in.readNBytes(length);
                    if (body.length < length) {
                        return;
                    }
                    out.write(receive(port, signature, body) ? OK : BAD);
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // The connection went away (Conveyor closed it, or the run ended).
            }
        }

        /** One header line without its CR LF (ASCII), or null at the end of the stream. */
        static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder(64);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    return line.length() == 0 ? null : line.toString();
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            for (Socket socket : connections) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** Checks a received request and records its first receipt; false when its signature does not hold. */
    static boolean receive(int port, String signature, byte[] body) {
        long at = System.currentTimeMillis();
        boolean ok = verify(signature, body);
        if (ok) {
            String id = eventId(new String(body, StandardCharsets.UTF_8));
            if (id != null && RECEIVED.putIfAbsent(port + "/" + id, at) == null) {
                LAST_RECEIPT.accumulateAndGet(at, Math::max);
            }
        } else {
            SIGNATURE_ERRORS.incrementAndGet();
        }
        return ok;
    }

    /**
     * The HMAC keyed with the subscribers' secret, set up once per receiving thread (doFinal resets it to the key):
     * the check is the same as with a fresh Mac per request, without a provider look-up and key set-up each time.
     */
    static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    });

    /** Checks "t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">" over the whole body. */
    static boolean verify(String header, byte[] body) {
        if (header == null) {
            return false;
        }
        String t = "";
        String v1 = "";
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                t = part.substring(2);
            } else if (part.startsWith("v1=")) {
                v1 = part.substring(3);
            }
        }
        Mac mac = MAC.get();
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        return MessageDigest.isEqual(hex(expected).getBytes(StandardCharsets.UTF_8), v1.getBytes(StandardCharsets.UTF_8));
    }

    /** The CloudEvent's "id" (Conveyor writes it first, as "id":"…"), or null when the body has none. */
    static String eventId(String body) {
        int at = body.indexOf("\"id\":\"");
        if (at < 0) {
            Matcher id = EVENT_ID.matcher(body);
            return id.find() ? id.group(1) : null;
        }
        int start = at + 6;
        int end = body.indexOf('"', start);
        return end < 0 ? null : body.substring(start, end);
    }

    static void publishAll(int n, int publishers, String auth, double rate, String type, long start) throws Exception {
        AtomicInteger counter = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            Thread thread = new Thread(() -> {
                while (true) {
                    int first = counter.getAndAdd(BATCH);
                    if (first >= n) {
                        return;
                    }
                    int last = Math.min(n, first + BATCH);
                    if (rate > 0) {
                        // Paced: event i is due at start + i / rate.
                        long delay = start + (long) (first * 1000 / rate) - System.currentTimeMillis();
                        if (delay > 0) {
                            sleep(delay);
                        }
                    }
                    List<String> ids = new ArrayList<>();
                    StringBuilder events = new StringBuilder();
                    for (int i = first; i < last; i++) {
                        String id = UUID.randomUUID().toString();
                        ids.add(id);
                        events.append(events.length() == 0 ? "" : ",")
                                .append("{\"specversion\":\"1.0\",\"id\":\"").append(id)
                                .append("\",\"source\":\"/bench\",\"type\":\"").append(type)
                                .append("\",\"data\":{\"n\":").append(i).append("}}");
                    }
                    long t = System.currentTimeMillis();
                    ids.forEach(id -> SENT.put(id, t));
                    if (BATCH > 1) {
                        call("POST", "/api/events/batch", auth, "application/cloudevents-batch+json", "[" + events + "]");
                    } else {
                        call("POST", "/api/events", auth, "application/cloudevents+json", events.toString());
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    static String serviceAuth() {
        call("POST", "/api/users", ADMIN, "application/json",
                "{\"username\":\"bench\",\"password\":\"" + SERVICE_PASSWORD + "\",\"roles\":[\"service\"]}");
        String answer = call("POST", "/api/tokens", basic("bench", SERVICE_PASSWORD), "application/json",
                "{\"name\":\"bench-" + UUID.randomUUID().toString().substring(0, 8) + "\"}");
        Matcher token = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(answer);
        if (!token.find()) {
            throw new IllegalStateException("no token in " + answer);
        }
        return "Bearer " + token.group(1);
    }

    static String call(String method, String path, String auth, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(URL + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", auth)
                .header("Accept", "application/json")
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status != 200 && status != 201 && status != 202 && status != 204 && status != 409) {
                System.err.printf("%s %s: HTTP %d: %s%n", method, path, status, response.body());
                System.exit(1);
            }
            return response.body();
        } catch (IOException | InterruptedException e) {
            System.err.printf("%s %s: %s%n", method, path, e);
            System.exit(1);
            return null;
        }
    }

    /** BENCH_DUMP=FILE: one line per delivery, "ms since start the POST was sent, latency ms, subscriber port". */
    static void dump(String file, long start) throws IOException {
        if (file == null || file.isBlank()) {
            return;
        }
        StringBuilder out = new StringBuilder();
        RECEIVED.forEach((key, at) -> {
            Long sent = SENT.get(key.substring(key.indexOf('/') + 1));
            if (sent != null) {
                out.append(sent - start).append(' ').append(at - sent).append(' ')
                        .append(key, 0, key.indexOf('/')).append('\n');
            }
        });
        java.nio.file.Files.writeString(java.nio.file.Path.of(file), out);
    }

    static double[] latencies(long sentFrom) {
        return RECEIVED.entrySet().stream()
                .map(e -> Map.entry(e.getKey().substring(e.getKey().indexOf('/') + 1), e.getValue()))
                .filter(e -> SENT.containsKey(e.getKey()) && SENT.get(e.getKey()) >= sentFrom)
                .mapToDouble(e -> e.getValue() - SENT.get(e.getKey()))
                .sorted()
                .toArray();
    }

    /**
     * CPU seconds (user and system) of the Conveyor JVM named by CONVEYOR_PID, from /proc: read around publishing and
     * delivering only, so the set-up (users, tokens, subscriptions: bcrypt) is not counted. 0 without it.
     */
    static double conveyorCpu() {
        String pid = System.getenv("CONVEYOR_PID");
        if (pid == null || pid.isBlank()) {
            return 0;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3. Clock ticks of 1/100 s.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU seconds this process (publishers and subscribers) used so far, user and system. */
    static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(0.0);
    }

    /** The nearest-rank percentile of sorted values. */
    static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return out.toString();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
