package org.cnx.conveyor.secret;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The secrets page: names only, and a form to set a value. */
@Path("/secrets")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.ADMIN_NAME)
class SecretPage {

    @CheckedTemplate(basePath = "secret")
    static class Templates {
        static native TemplateInstance secrets(List<SecretService.SecretView> secrets, String notice);
    }

    private final SecretService secrets;
    private final SecurityIdentity identity;

    SecretPage(SecretService secrets, SecurityIdentity identity) {
        this.secrets = secrets;
        this.identity = identity;
    }

    @GET
    public TemplateInstance list(@RestQuery String notice) {
        return Templates.secrets(secrets.list(), notice);
    }

    @POST
    public Response put(@RestForm String name, @RestForm String value) {
        secrets.put(name, value, identity.getPrincipal().getName());
        return Response.seeOther(URI.create("/secrets?notice=Secret+saved")).build();
    }

    @POST
    @Path("{name}/delete")
    public Response delete(@RestPath String name) {
        secrets.delete(name);
        return Response.seeOther(URI.create("/secrets?notice=Secret+deleted")).build();
    }
}
