package org.cnx.conveyor.events;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.events.SubscriptionViews.DeliveryView;
import org.cnx.conveyor.events.SubscriptionViews.NewChannel;
import org.cnx.conveyor.events.SubscriptionViews.NewSubscription;
import org.cnx.conveyor.events.SubscriptionViews.PingResult;
import org.cnx.conveyor.events.SubscriptionViews.SubscriptionView;
import org.cnx.conveyor.outbound.AddressRule;
import org.cnx.conveyor.secret.SecretCipher;

/** Creates, lists, pauses and removes webhook subscriptions; shows and redelivers their deliveries; pings them. */
@ApplicationScoped
@Transactional
public class SubscriptionService {

    static final int MIN_SECRET_LENGTH = 16;
    private static final Pattern ENVIRONMENT = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");

    private final SecretCipher cipher;
    private final DeliveryQueue queue;
    private final WebhookSender sender;
    private final EventsConfig config;
    private final EventPublisher publisher;
    private final EventSignals signals;
    private final AuditLog audit;
    private final Instance<ChatRenderer> chat;

    SubscriptionService(
            SecretCipher cipher,
            DeliveryQueue queue,
            WebhookSender sender,
            EventsConfig config,
            EventPublisher publisher,
            EventSignals signals,
            AuditLog audit,
            Instance<ChatRenderer> chat) {
        this.audit = audit;
        this.chat = chat;
        this.cipher = cipher;
        this.queue = queue;
        this.sender = sender;
        this.config = config;
        this.publisher = publisher;
        this.signals = signals;
    }

    /** A new subscription receives the events published from now on. */
    public SubscriptionView create(NewSubscription request, String createdBy) {
        if (request == null) {
            throw new Invalid("expected a JSON body with \"url\", \"types\", \"environments\" and \"secret\"");
        }
        URI url = checkedUrl(request.url());
        EventFilter filter = checkedFilter(request.types(), request.environments());
        if (request.secret() == null || request.secret().length() < MIN_SECRET_LENGTH) {
            throw new Invalid("secret: expected at least " + MIN_SECRET_LENGTH + " characters");
        }
        Subscription subscription = new Subscription();
        subscription.url = url.toString();
        subscription.filter(filter);
        subscription.createdBy = createdBy;
        subscription.cursorSeq = StoredEvent.lastSeq();
        subscription.persist();
        SecretCipher.Sealed sealed = cipher.seal(subscription.secretName(), request.secret());
        subscription.secretNonce = sealed.nonce();
        subscription.secretCiphertext = sealed.ciphertext();
        audit.record(createdBy, "subscription.created", Subjects.subscription(subscription.id), subscription.url);
        return SubscriptionView.of(subscription);
    }

    /**
     * A new chat channel, a subscription whose deliveries are chat messages: its URL passes the same address rules as
     * a webhook's, its token (a Slack channel's: its whole webhook URL) is sealed like a webhook's secret and never
     * shown. It receives the events published from now on.
     */
    public Subscription createChannel(NewChannel request, String createdBy) {
        URI url = checkedUrl(request.url());
        EventFilter filter = checkedFilter(request.types(), request.environments());
        request.stages().stream()
                .filter(e -> !ENVIRONMENT.matcher(e).matches())
                .findFirst()
                .ifPresent(e -> {
                    throw new Invalid("stages: \"" + e + "\" is not a stage name");
                });
        Subscription channel = new Subscription();
        channel.kind = request.kind();
        channel.name = request.name();
        channel.room = request.room();
        // A Slack webhook URL is itself the credential: only its host is kept in the clear.
        channel.url = request.kind() == Subscription.Kind.SLACK
                ? url.getScheme() + "://" + url.getRawAuthority() + "/…"
                : url.toString();
        channel.filter(filter);
        channel.stages(request.stages());
        channel.createdBy = createdBy;
        channel.cursorSeq = StoredEvent.lastSeq();
        channel.persist();
        String sealedValue = request.kind() == Subscription.Kind.SLACK ? url.toString() : request.token();
        if (sealedValue != null) {
            SecretCipher.Sealed sealed = cipher.seal(channel.secretName(), sealedValue);
            channel.secretNonce = sealed.nonce();
            channel.secretCiphertext = sealed.ciphertext();
        }
        audit.record(
                createdBy,
                "channel.created",
                Subjects.subscription(channel.id),
                channel.kind.id() + " " + channel.name + " " + channel.url);
        return channel;
    }

    /** The webhook subscriptions (chat channels are listed by their own page). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SubscriptionView> list() {
        return Subscription.<Subscription>list("kind = ?1 order by id", Subscription.Kind.WEBHOOK).stream()
                .map(SubscriptionView::of)
                .toList();
    }

    /** The chat channels, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Subscription> channels() {
        return Subscription.<Subscription>list("kind <> ?1 order by id", Subscription.Kind.WEBHOOK);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public SubscriptionView get(long id) {
        return SubscriptionView.of(find(id));
    }

    public SubscriptionView pause(long id) {
        Subscription subscription = find(id);
        subscription.pause();
        audit.record("subscription.paused", Subjects.subscription(id), null);
        return SubscriptionView.of(subscription);
    }

    public SubscriptionView resume(long id) {
        Subscription subscription = find(id);
        subscription.resume();
        audit.record("subscription.resumed", Subjects.subscription(id), null);
        signals.bumpAfterCommit();
        return SubscriptionView.of(subscription);
    }

    public void delete(long id) {
        find(id).delete();
        audit.record("subscription.deleted", Subjects.subscription(id), null);
    }

    /** The subscription's deliveries, newest first, optionally of one status. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DeliveryView> deliveries(long id, String status, int limit) {
        find(id);
        int max = Math.max(1, Math.min(limit, 1000));
        // A status that names none matches no delivery, as when the column held the word itself.
        List<Delivery> deliveries = status == null || status.isBlank()
                ? Delivery.<Delivery>find("subscriptionId = ?1 order by id desc", id)
                        .page(0, max)
                        .list()
                : Delivery.Status.parse(status)
                        .map(wanted -> Delivery.<Delivery>find(
                                        "subscriptionId = ?1 and status = ?2 order by id desc", id, wanted)
                                .page(0, max)
                                .list())
                        .orElse(List.of());
        Map<Long, StoredEvent> events = deliveries.isEmpty()
                ? Map.of()
                : StoredEvent.<StoredEvent>list(
                                "seq in ?1",
                                deliveries.stream().map(d -> d.eventSeq).toList())
                        .stream()
                        .collect(Collectors.toMap(e -> e.seq, Function.identity()));
        return deliveries.stream()
                .map(d -> DeliveryView.of(d, events.get(d.eventSeq)))
                .toList();
    }

    /** Queues a delivered or dead-lettered delivery again; it goes before the subscription's newer events. */
    public DeliveryView redeliver(long id, long deliveryId) {
        find(id);
        Delivery delivery = Delivery.<Delivery>findByIdOptional(deliveryId)
                .filter(d -> d.subscriptionId == id)
                .orElseThrow(() -> new NotFound("subscription " + id + " has no delivery " + deliveryId));
        delivery.redeliver();
        Subscription.<Subscription>findById(id).nextAttemptAt = null;
        signals.bumpAfterCommit();
        return DeliveryView.of(delivery, StoredEvent.findById(delivery.eventSeq));
    }

    /**
     * Sends a {@code conveyor.ping} event at once (not through the outbox) and says what came back: signed to a
     * webhook, as a test message to a chat channel.
     */
    @Transactional(Transactional.TxType.NEVER)
    public PingResult ping(long id) {
        NextDelivery target = QuarkusTransaction.requiringNew().call(() -> {
            Subscription subscription = find(id);
            return new NextDelivery(
                    0, subscription.url, queue.secret(subscription), null, null, subscription.kind, subscription.room);
        });
        Map<String, Object> event = new LinkedHashMap<>();
        String eventId = UUID.randomUUID().toString();
        event.put("specversion", "1.0");
        event.put("id", eventId);
        event.put("source", config.source());
        event.put("type", EventType.PING.id());
        event.put("subject", Subjects.subscription(id));
        event.put("time", Instant.now().toString());
        event.put("datacontenttype", "application/json");
        event.put("data", Map.of("subscription", id));
        String body = publisher.serialize(event);
        if (target.kind() == Subscription.Kind.WEBHOOK) {
            return PingResult.of(sender.send(target.url(), target.secret(), "ping", eventId, body));
        }
        return PingResult.of(sender.send(chat.get().render(target.channel(), "ping-" + eventId, body)));
    }

    private URI checkedUrl(String value) {
        URI url = url(value);
        try {
            sender.checkAddress(url.getHost());
        } catch (AddressRule.Refused e) {
            throw new Invalid("url: " + e.getMessage());
        }
        return url;
    }

    private static EventFilter checkedFilter(List<String> types, List<String> environments) {
        EventFilter filter = new EventFilter(types, environments);
        if (types == null || types.isEmpty()) {
            throw new Invalid("types: expected at least one type pattern, such as deploy.* or *");
        }
        filter.invalidPattern().ifPresent(p -> {
            throw new Invalid("types: \"" + p + "\" is not a type pattern; expected e.g. deploy.*, deploy.failed or *");
        });
        filter.environments().stream()
                .filter(e -> !ENVIRONMENT.matcher(e).matches())
                .findFirst()
                .ifPresent(e -> {
                    throw new Invalid("environments: \"" + e + "\" is not an environment name");
                });
        return filter;
    }

    private static Subscription find(long id) {
        return Subscription.<Subscription>findByIdOptional(id).orElseThrow(() -> new NotFound("no subscription " + id));
    }

    private static URI url(String value) {
        if (value == null || value.isBlank()) {
            throw new Invalid("url: required, the http(s) URL events are POSTed to");
        }
        try {
            URI url = new URI(value.trim());
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new Invalid("url: expected an absolute http:// or https:// URL, found \"" + value + "\"");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new Invalid("url: not a URL (" + e.getReason() + ")");
        }
    }
}
