package org.cnx.conveyor.notify;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.events.Subscription;
import org.cnx.conveyor.events.SubscriptionService;
import org.cnx.conveyor.events.SubscriptionViews;
import org.cnx.conveyor.events.SubscriptionViews.DeliveryView;
import org.cnx.conveyor.events.SubscriptionViews.PingResult;
import org.cnx.conveyor.notify.ChannelViews.ChannelView;
import org.cnx.conveyor.notify.ChannelViews.NewChannel;

/**
 * Chat channels (Slack, Matrix): checks what is specific to each kind, then keeps them as outbox subscriptions, so
 * their messages are delivered, retried, dead-lettered and redelivered exactly like webhooks.
 */
@ApplicationScoped
@Transactional
public class ChannelService {

    /** A Matrix room id, {@code !opaque:server} (an alias {@code #name:server} cannot be sent to). */
    private static final Pattern ROOM =
            Pattern.compile("^![A-Za-z0-9._=/+-]{1,255}:[A-Za-z0-9.-]{1,255}(:[0-9]{1,5})?$");

    private static final Pattern TOKEN = Pattern.compile("^[\\x21-\\x7e]{8,1024}$");
    private static final int MAX_NAME = 80;

    private final SubscriptionService subscriptions;

    ChannelService(SubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
    }

    public ChannelView create(NewChannel request, String by) {
        if (request == null) {
            throw new Invalid("expected a JSON body with \"kind\", \"name\", \"url\" and \"events\"");
        }
        Subscription.Kind kind = Optional.ofNullable(request.kind())
                .flatMap(Subscription.Kind::parse)
                .filter(k -> k != Subscription.Kind.WEBHOOK)
                .orElseThrow(() -> new Invalid("kind: expected slack or matrix (webhooks are subscriptions)"));
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new Invalid("name: required, at most " + MAX_NAME + " characters");
        }
        List<String> events = events(request.events());
        String room = null;
        String token = null;
        if (kind == Subscription.Kind.MATRIX) {
            room = request.room() == null ? "" : request.room().strip();
            if (!ROOM.matcher(room).matches()) {
                throw new Invalid("room: expected a Matrix room id such as !AbCdEf:matrix.org (Room settings,"
                        + " Advanced), found \"" + room + "\"");
            }
            token = request.token() == null ? "" : request.token().strip();
            if (!TOKEN.matcher(token).matches()) {
                throw new Invalid("token: expected the access token of the Matrix user that posts the messages");
            }
        } else if (request.token() != null && !request.token().isBlank()) {
            throw new Invalid("token: a Slack channel has none; its webhook URL is its credential");
        }
        Subscription channel = subscriptions.createChannel(
                new SubscriptionViews.NewChannel(
                        kind,
                        name,
                        request.url(),
                        room,
                        token,
                        events,
                        words(request.environments()),
                        words(request.stages())),
                by);
        return ChannelView.of(channel);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ChannelView> list() {
        return subscriptions.channels().stream().map(ChannelView::of).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ChannelView get(long id) {
        return ChannelView.of(find(id));
    }

    public ChannelView pause(long id) {
        find(id);
        subscriptions.pause(id);
        return get(id);
    }

    public ChannelView resume(long id) {
        find(id);
        subscriptions.resume(id);
        return get(id);
    }

    public void delete(long id) {
        find(id);
        subscriptions.delete(id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DeliveryView> deliveries(long id, String status, int limit) {
        find(id);
        return subscriptions.deliveries(id, status, limit);
    }

    public DeliveryView redeliver(long id, long delivery) {
        find(id);
        return subscriptions.redeliver(id, delivery);
    }

    /** Posts a test message now (not through the outbox) and says what the chat answered. */
    @Transactional(Transactional.TxType.NEVER)
    public PingResult test(long id) {
        QuarkusTransaction.requiringNew().run(() -> find(id));
        return subscriptions.ping(id);
    }

    /** The channel's event types: each one of the chat events, at least one. */
    private static List<String> events(List<String> given) {
        List<String> types = words(given);
        if (types.isEmpty()) {
            throw new Invalid("events: expected at least one of " + known());
        }
        List<String> unknown = new ArrayList<>(
                types.stream().filter(t -> ChatEvent.ofType(t).isEmpty()).toList());
        if (!unknown.isEmpty()) {
            throw new Invalid(
                    "events: " + String.join(", ", unknown) + " cannot be sent to a chat; expected " + known());
        }
        return types.stream().distinct().toList();
    }

    private static String known() {
        return String.join(
                ", ",
                java.util.Arrays.stream(ChatEvent.values()).map(ChatEvent::type).toList());
    }

    private static List<String> words(List<String> values) {
        return values == null
                ? List.of()
                : values.stream()
                        .filter(v -> v != null && !v.isBlank())
                        .map(String::strip)
                        .toList();
    }

    private static Subscription find(long id) {
        return Subscription.<Subscription>findByIdOptional(id)
                .filter(s -> s.kind != Subscription.Kind.WEBHOOK)
                .orElseThrow(() -> new NotFound("no chat channel " + id));
    }
}
