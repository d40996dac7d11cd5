package org.cnx.conveyor.preview;

import java.util.List;

/** Which pull requests get a preview: all, only those with a label, or all except those with it. */
record LabelRule(String rule, String label) {

    static LabelRule of(PreviewConfig.Labels config) {
        return new LabelRule(config.rule(), config.label());
    }

    boolean allows(List<String> labels) {
        return switch (rule) {
            case "only-with" -> labels.contains(label);
            case "all-except" -> !labels.contains(label);
            default -> true;
        };
    }

    String explain() {
        return switch (rule) {
            case "only-with" -> "only pull requests labelled \"" + label + "\" get one";
            case "all-except" -> "pull requests labelled \"" + label + "\" get none";
            default -> "every pull request gets one";
        };
    }
}
