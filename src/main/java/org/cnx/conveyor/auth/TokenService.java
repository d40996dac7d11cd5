package org.cnx.conveyor.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.NotFound;

/** Creates and revokes API tokens; a token's value exists only in the response that created it. */
@ApplicationScoped
@Transactional
public class TokenService {

    private final AccountAudit audit;

    TokenService(AccountAudit audit) {
        this.audit = audit;
    }

    private static final Pattern TOKEN_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$");

    /** A token as listed: its name and prefix, never its value. */
    public record TokenView(long id, String name, String prefix, Instant createdAt, Instant lastUsedAt) {
        static TokenView of(ApiToken token) {
            return new TokenView(token.id, token.name, token.prefix, token.createdAt, token.lastUsedAt);
        }
    }

    /** A token just created: the only time its value is shown. */
    public record CreatedToken(long id, String name, String prefix, Instant createdAt, String token) {}

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TokenView> list(String username) {
        return ApiToken.listFor(user(username)).stream().map(TokenView::of).toList();
    }

    public CreatedToken create(String username, String name) {
        if (name == null || !TOKEN_NAME.matcher(name).matches()) {
            throw new Invalid("name: expected 1-64 letters, digits, spaces, '.', '_' or '-'");
        }
        User user = user(username);
        if (ApiToken.count("user = ?1 and name = ?2", user, name) > 0) {
            throw new Conflict("you already have a token named \"" + name + "\"");
        }
        String value = Tokens.randomApiToken();
        ApiToken token = new ApiToken();
        token.user = user;
        token.name = name;
        token.tokenHash = Tokens.sha256(value);
        token.prefix = value.substring(0, Tokens.API_TOKEN_PREFIX.length() + 6);
        token.persist();
        audit.byCaller("token.created", user, "token \"" + name + "\" (" + token.prefix + "…)");
        return new CreatedToken(token.id, token.name, token.prefix, token.createdAt, value);
    }

    /** Revokes one of the user's own tokens; admins may revoke anyone's. */
    public void revoke(String username, boolean admin, long id) {
        ApiToken token = ApiToken.<ApiToken>findByIdOptional(id)
                .filter(t -> admin || t.user.username.equals(username))
                .orElseThrow(() -> new NotFound("no token with id " + id));
        audit.byCaller("token.revoked", token.user, "token \"" + token.name + "\" (" + token.prefix + "…)");
        token.delete();
    }

    private static User user(String username) {
        return User.findByUsername(username).orElseThrow(() -> new NotFound("no user named \"" + username + "\""));
    }
}
