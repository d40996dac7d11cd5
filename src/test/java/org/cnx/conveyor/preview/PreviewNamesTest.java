package org.cnx.conveyor.preview;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented scheme of preview names: short, readable, one per repository and pull request. */
class PreviewNamesTest {

    @Test
    void aPreviewIsNamedAfterItsRepositoryAndNumber() {
        assertThat(pr("openstax/webview", 2).environment(false)).isEqualTo("pr-webview-2");
        assertThat(pr("openstax/cnx-archive", 2).environment(false)).isEqualTo("pr-cnx-archive-2");
    }

    @Test
    void theOwnerJoinsInOnlyWhenAskedFor() {
        assertThat(pr("someone/webview", 2).environment(true)).isEqualTo("pr-someone-webview-2");
    }

    @Test
    void otherCharactersBecomeOneDashAndLongNamesAreCut() {
        assertThat(pr("openstax/My_Repo.js", 7).environment(false)).isEqualTo("pr-my-repo-js-7");
        String name = pr("openstax/" + "a".repeat(39) + "-tail-that-goes-on", 999_999_999)
                .environment(true);
        assertThat(name).matches("[a-z][a-z0-9-]{0,62}").doesNotContain("--");
        assertThat(name.length()).isLessThanOrEqualTo(63);
    }

    private static PullRequest pr(String repository, int number) {
        return new PullRequest("opened", number, "t", "a", "b", "0".repeat(40), repository, List.of());
    }
}
