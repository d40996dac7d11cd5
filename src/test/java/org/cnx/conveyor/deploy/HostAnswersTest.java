package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.cnx.conveyor.deploy.HostLayout.Current;
import org.cnx.conveyor.deploy.HostLayout.Folder;
import org.cnx.conveyor.deploy.HostLayout.Probe;
import org.cnx.conveyor.transport.TransportException;
import org.junit.jupiter.api.Test;

/** What a host prints back, read into the outcomes a deploy acts on; anything else fails the step. */
class HostAnswersTest {

    private final HostLayout layout = new HostLayout("/srv/cnx");

    @Test
    void readsEachProbeAnswerWithItsTrailingNewline() throws Exception {
        var probe = layout.probe("webview", "7", "1.0", null);

        assertThat(probe.read("web1", "prepared\n")).isEqualTo(Probe.PREPARED);
        assertThat(probe.read("web1", "cached\n")).isEqualTo(Probe.CACHED);
        assertThat(probe.read("web1", "  missing  \n")).isEqualTo(Probe.MISSING);
    }

    @Test
    void aPreparedFolderIsExistingAndAnyOtherWillBeNew() {
        assertThat(Probe.PREPARED.folder()).isEqualTo(Folder.EXISTING);
        assertThat(Probe.CACHED.folder()).isEqualTo(Folder.NEW);
        assertThat(Probe.MISSING.folder()).isEqualTo(Folder.NEW);
        assertThat(Folder.NEW.word()).isEqualTo("new");
        assertThat(Folder.of("existing")).contains(Folder.EXISTING);
        assertThat(Folder.of(null)).isEmpty();
        assertThat(Folder.of("NEW")).isEmpty();
    }

    @Test
    void aProbeAnswerThatIsNoOutcomeFailsTheStepNamingTheHostAndTheAnswer() {
        var probe = layout.probe("webview", "7", "1.0", null);

        for (String answer : new String[] {"", "\n", "Prepared", "prepared\ncached\n", "motd: welcome\nprepared\n"}) {
            assertThatThrownBy(() -> probe.read("web1", answer))
                    .as(answer)
                    .isInstanceOf(TransportException.CommandFailed.class)
                    .hasMessageContaining("unexpected answer to probe")
                    .hasMessageContaining("expected prepared, cached or missing")
                    .extracting(e -> ((TransportException) e).host())
                    .isEqualTo("web1");
        }
    }

    @Test
    void aLongGarbageAnswerIsShortenedInTheMessage() {
        var probe = layout.probe("webview", "7", "1.0", null);

        assertThatThrownBy(() -> probe.read("web1", "x".repeat(10_000)))
                .hasMessageContaining("x".repeat(80) + "…")
                .hasMessageNotContaining("x".repeat(81));
    }

    @Test
    void readsCurrentAsNothingOrOneLinkTarget() throws Exception {
        var current = layout.readCurrent("webview");

        assertThat(current.read("web1", "")).isEqualTo(Current.NONE);
        assertThat(current.read("web1", "\n")).isEqualTo(Current.NONE);
        assertThat(current.read("web1", "releases/12\n")).isEqualTo(new Current("releases/12"));
        assertThat(current.read("web1", "releases/12\n").release()).isEqualTo("12");
        assertThatThrownBy(() -> current.read("web1", "releases/12\nreleases/13\n"))
                .isInstanceOf(TransportException.CommandFailed.class)
                .hasMessageContaining("one link target or nothing");
    }

    @Test
    void aJournaledBeforeValueReadsBackAsTheCurrentItRecorded() {
        assertThat(Current.of(null).isNone()).isTrue();
        assertThat(Current.of("").isNone()).isTrue();
        assertThat(Current.of("releases/3").release()).isEqualTo("3");
        assertThat(Current.NONE.release()).isEmpty();
    }

    @Test
    void listsOnlyNumberedReleasesNewestFirst() throws Exception {
        var list = layout.listReleases("webview");

        assertThat(list.read("web1", "")).isEmpty();
        assertThat(list.read("web1", "3\n12\n7.unpacking\nnotes\n 5 \n1234567890123456789\n"))
                .containsExactly(12L, 5L, 3L);
    }

    @Test
    void aLinkNamesAReleaseOnlyWhenItIsReleasesSlashANumber() {
        assertThat(HostLayout.releaseOfLink("releases/12\n")).contains("12");
        assertThat(HostLayout.releaseOfLink("/elsewhere/12")).isEqualTo(Optional.empty());
        assertThat(HostLayout.releaseOfLink("releases/../../etc")).isEmpty();
        assertThat(HostLayout.releaseOfLink("")).isEmpty();
    }
}
