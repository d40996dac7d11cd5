package org.cnx.conveyor.dora;

import java.util.List;
import org.cnx.conveyor.dora.DoraFigures.Day;

/**
 * Draws deploys per day as an SVG bar chart on the server (green: went live and stayed; red: failed or rolled back),
 * so the page needs no JavaScript; the SVG scales to the width of a phone and carries a text description.
 */
final class DoraChart {

    private static final int HEIGHT = 120;
    private static final int BAR = 10;

    private DoraChart() {}

    static String svg(String title, List<Day> days) {
        int max = Math.max(
                1, days.stream().mapToInt(d -> d.succeeded() + d.failed()).max().orElse(1));
        int width = Math.max(1, days.size()) * BAR;
        int total = days.stream().mapToInt(d -> d.succeeded() + d.failed()).sum();
        int failed = days.stream().mapToInt(Day::failed).sum();
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(HEIGHT + 14)
                .append(
                        "\" preserveAspectRatio=\"none\" style=\"width:100%;max-width:40em;height:8em\" role=\"img\" aria-label=\"")
                .append(escape(title + ": " + total + " deploys over " + days.size() + " days, " + failed
                        + " failed or rolled back"))
                .append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (int i = 0; i < days.size(); i++) {
            Day day = days.get(i);
            int good = day.succeeded() * HEIGHT / max;
            int bad = day.failed() * HEIGHT / max;
            int x = i * BAR;
            if (good > 0) {
                bar(svg, x, HEIGHT - good, good, "#2e7d32", day.date() + ": " + day.succeeded() + " deployed");
            }
            if (bad > 0) {
                bar(svg, x, HEIGHT - good - bad, bad, "#c62828", day.date() + ": " + day.failed() + " failed");
            }
        }
        svg.append("<line x1=\"0\" y1=\"")
                .append(HEIGHT)
                .append("\" x2=\"")
                .append(width)
                .append("\" y2=\"")
                .append(HEIGHT)
                .append("\" stroke=\"#999\" stroke-width=\"1\"/>");
        if (!days.isEmpty()) {
            label(svg, 0, "start", days.get(0).date().toString());
            label(svg, width, "end", days.get(days.size() - 1).date().toString());
        }
        return svg.append("</svg>").toString();
    }

    private static void bar(StringBuilder svg, int x, int y, int height, String colour, String tip) {
        svg.append("<rect x=\"")
                .append(x + 1)
                .append("\" y=\"")
                .append(y)
                .append("\" width=\"")
                .append(BAR - 2)
                .append("\" height=\"")
                .append(height)
                .append("\" fill=\"")
                .append(colour)
                .append("\"><title>")
                .append(escape(tip))
                .append("</title></rect>");
    }

    private static void label(StringBuilder svg, int x, String anchor, String text) {
        svg.append("<text x=\"")
                .append(x)
                .append("\" y=\"")
                .append(HEIGHT + 12)
                .append("\" font-size=\"9\" text-anchor=\"")
                .append(anchor)
                .append("\">")
                .append(escape(text))
                .append("</text>");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
