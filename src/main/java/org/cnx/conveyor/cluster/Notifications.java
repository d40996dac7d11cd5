package org.cnx.conveyor.cluster;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.cnx.conveyor.common.AfterCommit;
import org.cnx.conveyor.common.Daemons;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Signals between the instances that share one database, over PostgreSQL {@code LISTEN/NOTIFY}. A payload carries
 * ids only (the sender's instance id and, say, a job id); receivers read the data from the tables. Signals are
 * wake-ups, not data: a lost one costs a viewer the poll interval, never a line.
 */
@ApplicationScoped
public class Notifications {

    /** Job {@code <id>} has new log lines or a new status ({@code l:<id>}), or its steps moved ({@code s:<id>}). */
    public static final String JOBS = "conveyor_jobs";

    /** Events were committed to the outbox (payload: the last seq). */
    public static final String EVENTS = "conveyor_events";

    private static final List<String> CHANNELS = List.of(JOBS, EVENTS);
    private static final Logger LOG = Logger.getLogger(Notifications.class);
    private static final String KEY = Notifications.class.getName();
    private static final int LISTEN_WAIT_MILLIS = 250;

    private final AgroalDataSource dataSource;
    private final TransactionSynchronizationRegistry transactions;
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
    private final BlockingQueue<String[]> outgoing = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread listener;
    private Thread sender;

    Notifications(AgroalDataSource dataSource, TransactionSynchronizationRegistry transactions) {
        this.dataSource = dataSource;
        this.transactions = transactions;
    }

    /** This instance's id, as other instances see it in payloads. */
    public String instance() {
        return instance;
    }

    /** Calls {@code handler} with the payload of every signal another instance sends on {@code channel}. */
    public void on(String channel, Consumer<String> handler) {
        if (!CHANNELS.contains(channel)) {
            throw new IllegalArgumentException("no channel " + channel);
        }
        handlers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(handler);
    }

    /**
     * Tells the other instances; inside a transaction only once it committed (a signal about a change they cannot
     * read yet would wake them for nothing). Repeats of one signal sent close together go out once.
     */
    public void send(String channel, String payload) {
        if (transactions.getTransactionKey() == null || transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            outgoing.add(new String[] {channel, payload});
            return;
        }
        @SuppressWarnings("unchecked")
        Set<List<String>> pending = (Set<List<String>>) transactions.getResource(KEY);
        if (pending == null) {
            Set<List<String>> created = new LinkedHashSet<>();
            transactions.putResource(KEY, created);
            AfterCommit.run(transactions, () -> created.forEach(s -> outgoing.add(new String[] {s.get(0), s.get(1)})));
            pending = created;
        }
        pending.add(List.of(channel, payload));
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        listener = Daemons.named("cluster-listener").newThread(this::listen);
        sender = Daemons.named("cluster-sender").newThread(this::sendLoop);
        listener.start();
        sender.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (listener != null) {
            listener.interrupt();
            sender.interrupt();
            // The listener gives its connection back before the pool closes (or the pool warns that it closed a
            // connection in use); it looks at running after each wait for notifications.
            try {
                listener.join(LISTEN_WAIT_MILLIS * 4);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void listen() {
        int failures = 0;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    for (String channel : CHANNELS) {
                        statement.execute("LISTEN " + channel);
                    }
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                failures = 0;
                while (running) {
                    PGNotification[] received = pg.getNotifications(LISTEN_WAIT_MILLIS);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            dispatch(notification.getName(), notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    // Also what a stopping database looks like while Conveyor stops: said quietly the first time.
                    failures++;
                    if (failures == 1) {
                        LOG.infof("The LISTEN connection ended (%s); reconnecting", e.getMessage());
                    } else {
                        LOG.warnf(
                                "Cannot LISTEN (%s); other instances' signals wait for the next poll", e.getMessage());
                    }
                    sleep(1000);
                }
            }
        }
    }

    private void dispatch(String channel, String parameter) {
        int colon = parameter.indexOf(':');
        if (colon < 0 || parameter.substring(0, colon).equals(instance)) {
            return; // this instance already woke its own followers
        }
        String payload = parameter.substring(colon + 1);
        for (Consumer<String> handler : handlers.getOrDefault(channel, List.of())) {
            try {
                handler.accept(payload);
            } catch (RuntimeException e) {
                LOG.warnf(e, "A handler of %s failed on %s", channel, payload);
            }
        }
    }

    private void sendLoop() {
        while (running) {
            try {
                String[] first = outgoing.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                List<String[]> batch = new ArrayList<>();
                batch.add(first);
                outgoing.drainTo(batch);
                Set<List<String>> distinct = new LinkedHashSet<>();
                batch.forEach(s -> distinct.add(List.of(s[0], s[1])));
                try (Connection connection = dataSource.getConnection();
                        PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                    for (List<String> signal : distinct) {
                        notify.setString(1, signal.get(0));
                        notify.setString(2, instance + ":" + signal.get(1));
                        notify.execute();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("Cannot signal other instances (%s); they notice at their next poll", e);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
