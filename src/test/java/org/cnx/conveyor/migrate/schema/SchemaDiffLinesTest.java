package org.cnx.conveyor.migrate.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnx.conveyor.migrate.schema.SchemaDiff.Change;
import org.cnx.conveyor.migrate.schema.SchemaDiff.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Diff lines fold multi-line definitions in one pass, however long they are (a safety timeout guards against a hang). */
@Timeout(10)
class SchemaDiffLinesTest {

    @Test
    void aViewDefinitionOverSeveralLinesBecomesOneLine() {
        assertThat(new Change(Kind.ADDED, "view public.v", null, "  SELECT a,\n     b\n\n   FROM t  \n").line())
                .isEqualTo("+ view public.v: SELECT a, b FROM t");
        assertThat(new Change(Kind.ADDED, "column public.t.c", null, "text default 'a  b'\t").line())
                .isEqualTo("+ column public.t.c: text default 'a  b'");
    }

    @Test
    void aSixtyKilobyteColumnDefaultIsFoldedWhole() {
        String value = "text default '" + "x ".repeat(30_000) + "'";
        Change change = new Change(Kind.CHANGED, "column public.t.c", "text", value);
        assertThat(change.line()).isEqualTo("~ column public.t.c: text -> " + value.strip());
    }

    @Test
    void sixtyThousandSpacesWithoutALineBreakStayAsTheyAre() {
        String spaces = " ".repeat(60_000);
        String value = "a" + spaces + "b" + spaces + "\n" + spaces + "c";
        assertThat(new Change(Kind.ADDED, "k", null, value).line()).isEqualTo("+ k: a" + spaces + "b c");
    }
}
