package org.cnx.conveyor.runbook;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.common.DomainException;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.environment.definition.RunbookSpec;
import org.cnx.conveyor.environment.definition.RunbookSpec.Parameter;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.jboss.resteasy.reactive.RestPath;

/**
 * An environment's runbooks page: each runbook with a form of typed fields and its confirmation phrase. A refused run
 * shows the page again with why and what was typed (never a secret value); a started one opens its job.
 */
@Path("/environments/{env}/runbooks")
@Produces(MediaType.TEXT_HTML)
class RunbookPages {

    /** Form fields are named {@code p.NAME}, so no parameter name can collide with the form's own fields. */
    static final String FIELD = "p.";

    /** One runbook's form: what it is, its fields, and what was typed in it when a run was refused. */
    public record RunbookForm(RunbookSpec spec, List<Field> fields, String error) {}

    /** One parameter's input, with the value to show in it. */
    public record Field(Parameter parameter, String value) {
        public String input() {
            return switch (parameter.type()) {
                case ENUM -> "select";
                case BOOLEAN -> "boolean";
                case INTEGER -> "number";
                case SECRET -> "password";
                case STRING -> "text";
            };
        }
    }

    @CheckedTemplate(basePath = "runbook")
    static class Templates {
        static native TemplateInstance runbooks(
                String environment, boolean protectedEnvironment, List<RunbookForm> forms);
    }

    private final Runbooks runbooks;
    private final SecurityIdentity identity;

    RunbookPages(Runbooks runbooks, SecurityIdentity identity) {
        this.runbooks = runbooks;
        this.identity = identity;
    }

    @GET
    public TemplateInstance list(@RestPath String env) {
        return page(env, null, Map.of(), null);
    }

    @POST
    @Path("{name}/run")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response run(@RestPath String env, @RestPath String name, MultivaluedMap<String, String> form) {
        Map<String, String> given = new LinkedHashMap<>();
        form.forEach((key, values) -> {
            if (key.startsWith(FIELD) && !values.isEmpty() && !values.get(0).isEmpty()) {
                given.put(key.substring(FIELD.length()), values.get(0));
            }
        });
        try {
            JobSummary job = runbooks.start(env, name, given, form.getFirst("confirm"), identity);
            return Response.seeOther(URI.create("/jobs/" + job.id())).build();
        } catch (DomainException.Invalid e) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(page(env, name, given, e.getMessage()))
                    .build();
        }
    }

    private TemplateInstance page(String env, String refused, Map<String, String> given, String error) {
        List<RunbookForm> forms = runbooks.of(env).stream()
                .map(spec -> {
                    boolean again = spec.name().equals(refused);
                    List<Field> fields = spec.parameters().values().stream()
                            .map(p -> new Field(
                                    p,
                                    again && !p.secret()
                                            ? given.getOrDefault(p.name(), "")
                                            : p.defaultValue().orElse("")))
                            .toList();
                    return new RunbookForm(spec, fields, again ? error : null);
                })
                .toList();
        return Templates.runbooks(env, runbooks.isProtected(env), forms);
    }
}
