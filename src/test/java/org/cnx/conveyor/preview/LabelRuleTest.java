package org.cnx.conveyor.preview;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The label rule decides which pull requests get a preview. */
class LabelRuleTest {

    @Test
    void allGivesEveryPullRequestAPreview() {
        assertThat(new LabelRule("all", "preview").allows(List.of())).isTrue();
    }

    @Test
    void onlyWithGivesPreviewsOnlyToLabelledPullRequests() {
        LabelRule rule = new LabelRule("only-with", "preview");
        assertThat(rule.allows(List.of("bug", "preview"))).isTrue();
        assertThat(rule.allows(List.of("bug"))).isFalse();
    }

    @Test
    void allExceptLeavesOutLabelledPullRequests() {
        LabelRule rule = new LabelRule("all-except", "no-preview");
        assertThat(rule.allows(List.of("no-preview"))).isFalse();
        assertThat(rule.allows(List.of("docs"))).isTrue();
    }
}
