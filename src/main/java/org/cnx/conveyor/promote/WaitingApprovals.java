package org.cnx.conveyor.promote;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.promote.PromotionViews.PromotionView;

/**
 * The promotions waiting for the viewer's approval, as every page's navigation and the dashboard show them:
 * {@code {inject:approvals.count}}. Looked up once per request, and only for leads.
 */
@Named("approvals")
@RequestScoped
public class WaitingApprovals {

    private final PromotionService promotions;
    private final SecurityIdentity identity;
    private List<PromotionView> waiting;

    WaitingApprovals(PromotionService promotions, SecurityIdentity identity) {
        this.promotions = promotions;
        this.identity = identity;
    }

    public List<PromotionView> getList() {
        if (waiting == null) {
            // Error pages of refused requests render on the event loop, where the database may not be asked; their
            // navigation goes without the count (approvals.js fills it in).
            waiting = identity.isAnonymous()
                            || !identity.hasRole(Role.LEAD_NAME)
                            || io.vertx.core.Context.isOnEventLoopThread()
                    ? List.of()
                    : promotions.waitingFor(identity.getPrincipal().getName());
        }
        return waiting;
    }

    public int getCount() {
        return getList().size();
    }
}
