package org.cnx.conveyor.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training start links what its class-load log names, so the class archive keeps every class the start loaded. */
class ArchiveTrainingTest {

    @TempDir
    Path dir;

    @Test
    void theClassOfEachLoadLineIsReadAndGeneratedClassesAreLeftOut() {
        assertThat(ArchiveTraining.className(
                        "[0.126s][info][class,load] io.smallrye.config.SmallRyeConfigProviderResolver$1 source: "
                                + "file:/srv/conveyor/lib/main/io.smallrye.config.smallrye-config-core-3.16.0.jar"))
                .isEqualTo("io.smallrye.config.SmallRyeConfigProviderResolver$1");
        assertThat(ArchiveTraining.className(
                        "[0.216s][info][class,load] jdk.internal.event.Event source: jrt:/java.base"))
                .isEqualTo("jdk.internal.event.Event");
        assertThat(ArchiveTraining.className(
                        "[0.075s][info][class,load] java.lang.invoke.LambdaForm$MH/0x00007f8234000400"
                                + " source: __JVM_LookupDefineClass__"))
                .isNull();
        assertThat(ArchiveTraining.className(
                        "[1.2s][info][class,load] org.cnx.Foo$$Lambda$1154/0x0000000800c0b000 source: org.cnx.Foo"))
                .isNull();
        assertThat(ArchiveTraining.className("a line of another kind")).isNull();
    }

    @Test
    void everyNamedClassIsLinkedOnceAndOnesThatCannotBeAreCounted() throws Exception {
        Path log = dir.resolve("classes.log");
        Files.writeString(
                log,
                String.join(
                        "\n",
                        "[0.1s][info][class,load] java.util.concurrent.Phaser source: jrt:/java.base",
                        "[0.1s][info][class,load] " + Unlinked.class.getName() + " source: file:/x.jar",
                        "[0.2s][info][class,load] " + Unlinked.class.getName() + " source: file:/x.jar",
                        "[0.3s][info][class,load] org.cnx.conveyor.NoSuchClass source: file:/x.jar",
                        "a line of another kind",
                        ""));

        ArchiveTraining.Linked linked = ArchiveTraining.link(log, getClass().getClassLoader());

        assertThat(linked).isEqualTo(new ArchiveTraining.Linked(2, 1));
        assertThat(unlinkedInitialised).as("linked, not initialised").isFalse();
    }

    /** Set by {@link Unlinked}'s static initialiser (read here, so reading it does not initialise that class). */
    static volatile boolean unlinkedInitialised;

    /** A class nothing else loads: linking it must not run its static initialiser. */
    static final class Unlinked {
        static {
            unlinkedInitialised = true;
        }
    }
}
