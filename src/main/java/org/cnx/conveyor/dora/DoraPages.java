package org.cnx.conveyor.dora;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.cnx.conveyor.dora.DoraFigures.Figures;
import org.cnx.conveyor.dora.DoraService.Report;

/** The DORA page: the four figures per stage and per environment, with a server-drawn chart of deploys per day. */
@Path("/dora")
@Produces(MediaType.TEXT_HTML)
class DoraPages {

    /** One row of the page: the figures in words and the chart. */
    public record Row(Figures figures, String leadTime, String timeToRestore, String failureRate, String chart) {
        static Row of(Figures f) {
            return new Row(
                    f,
                    duration(f.leadTimeMedianSeconds()),
                    duration(f.timeToRestoreMedianSeconds()),
                    f.changeFailureRate() == null ? "–" : Math.round(f.changeFailureRate() * 100) + " %",
                    DoraChart.svg(f.scope() + " " + f.name(), f.daily()));
        }
    }

    /** A table of the page: by stage or by environment. */
    public record Section(String title, String column, List<Row> rows) {}

    /** A period the page offers besides the one shown. */
    public record Period(int days, boolean current) {}

    @CheckedTemplate(basePath = "dora")
    static class Templates {
        static native TemplateInstance dora(int days, List<Period> periods, List<Section> sections);
    }

    private final DoraService dora;

    DoraPages(DoraService dora) {
        this.dora = dora;
    }

    @GET
    public TemplateInstance page(@QueryParam("days") @DefaultValue("30") int days) {
        Report report = dora.lastDays(days);
        return Templates.dora(
                days,
                java.util.stream.Stream.of(7, 30, 90)
                        .map(d -> new Period(d, d == days))
                        .toList(),
                List.of(
                        new Section(
                                "By stage",
                                "Stage",
                                report.stages().stream().map(Row::of).toList()),
                        new Section(
                                "By environment",
                                "Environment",
                                report.environments().stream().map(Row::of).toList())));
    }

    static String duration(Long seconds) {
        if (seconds == null) {
            return "–";
        }
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min";
        }
        if (seconds < 172800) {
            return seconds / 3600 + " h";
        }
        return seconds / 86400 + " days";
    }
}
