package org.cnx.conveyor.dora;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.cnx.conveyor.dora.DoraService.Report;

/** DORA figures as JSON, per stage and per environment, over the last {@code days} days (any user). */
@Path("/api/dora")
@Produces(MediaType.APPLICATION_JSON)
class DoraResource {

    private final DoraService dora;

    DoraResource(DoraService dora) {
        this.dora = dora;
    }

    @GET
    public Report report(@QueryParam("days") @DefaultValue("30") int days) {
        return dora.lastDays(days);
    }
}
