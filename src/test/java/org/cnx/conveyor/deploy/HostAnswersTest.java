package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.cnx.conveyor.deploy.HostLayout.Current;
import org.cnx.conveyor.deploy.HostLayout.Folder;
import org.cnx.conveyor.transport.TransportException;
import org.junit.jupiter.api.Test;

/** What a host prints back, read into the outcomes a deploy acts on; anything else fails the step. */
class HostAnswersTest {

    private final HostLayout layout = new HostLayout("/srv/cnx");

    @Test
    void aFolderIsNewOrExistingAndAnythingElseIsNeither() {
        assertThat(Folder.NEW.word()).isEqualTo("new");
        assertThat(Folder.of("existing")).contains(Folder.EXISTING);
        assertThat(Folder.of(null)).isEmpty();
        assertThat(Folder.of("NEW")).isEmpty();
    }

    @Test
    void anAnswerThatIsNoLinkTargetFailsTheStepNamingTheHostAndShortenedInTheMessage() {
        var current = layout.readCurrent("webview");

        assertThatThrownBy(() -> current.read("web1", "motd: welcome\nreleases/12\n"))
                .isInstanceOf(TransportException.CommandFailed.class)
                .hasMessageContaining("unexpected answer to read current")
                .extracting(e -> ((TransportException) e).host())
                .isEqualTo("web1");
        assertThatThrownBy(() -> current.read("web1", "x\n".repeat(5_000)))
                .hasMessageContaining("x\nx")
                .hasMessageNotContaining("x\n".repeat(81));
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
    void aLinkNamesAReleaseOnlyWhenItIsReleasesSlashANumber() {
        assertThat(HostLayout.releaseOfLink("releases/12\n")).contains("12");
        assertThat(HostLayout.releaseOfLink("/elsewhere/12")).isEqualTo(Optional.empty());
        assertThat(HostLayout.releaseOfLink("releases/../../etc")).isEmpty();
        assertThat(HostLayout.releaseOfLink("")).isEmpty();
    }
}
