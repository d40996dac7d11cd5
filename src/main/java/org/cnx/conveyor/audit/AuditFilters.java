package org.cnx.conveyor.audit;

import org.jboss.resteasy.reactive.RestQuery;

/** The query parameters of the audit page and API, as one {@link AuditQuery}. */
public class AuditFilters {

    @RestQuery
    String actor;

    @RestQuery
    String action;

    @RestQuery
    String subject;

    @RestQuery
    String since;

    @RestQuery
    String until;

    @RestQuery
    Long before;

    @RestQuery
    Integer limit;

    AuditQuery query(int defaultLimit) {
        return new AuditQuery(actor, action, subject, since, until, before, limit == null ? defaultLimit : limit);
    }
}
