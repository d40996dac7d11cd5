package org.cnx.conveyor.migrate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.flywaydb.core.internal.resolver.ChecksumCalculator;
import org.flywaydb.core.internal.resource.StringResource;
import org.junit.jupiter.api.Test;

/** Conveyor's checksum of a script is the one Flyway records for it, whatever its line breaks and byte-order mark. */
class ChecksumsTest {

    @Test
    void equalsFlywaysChecksumForScriptsOfEveryShape() {
        List<String> scripts = List.of(
                "",
                "CREATE TABLE a (id int);",
                "CREATE TABLE a (id int);\n",
                "line one\r\nline two\r\n",
                "\uFEFFCREATE TABLE bom (id int);\n",
                "-- é, ü, 漢字\nSELECT 'ü';\n",
                "a\n\n\nb",
                "trailing spaces   \n\ttabs\t\n");
        for (String sql : scripts) {
            // Flyway's internal calculator, here only, to prove the two agree.
            assertThat(Checksums.of(sql)).as(sql).isEqualTo(ChecksumCalculator.calculate(new StringResource(sql)));
        }
    }

    @Test
    void ignoresHowLinesAreBrokenButNotWhatTheySay() {
        assertThat(Checksums.of("a\nb\n")).isEqualTo(Checksums.of("a\r\nb")).isNotEqualTo(Checksums.of("a\nc\n"));
    }
}
