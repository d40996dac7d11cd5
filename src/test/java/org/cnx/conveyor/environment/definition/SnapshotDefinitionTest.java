package org.cnx.conveyor.environment.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A source's {@code snapshots} (keep and scrub scripts) and a database's {@code seed}. */
class SnapshotDefinitionTest {

    private static final String HEAD = """
            name: cnx
            kind: shared
            stage: dev
            hosts:
              - name: local
                transport: local
                roles: [db]
            components:
              db:
                start: ./start.sh
                stop: ./stop.sh
            """;

    private static ParseResult parse(String rest) {
        return new DefinitionParser().parse("environments/cnx.yml", HEAD + rest);
    }

    private static List<String> problems(String rest) {
        return parse(rest).problems().stream().map(DefinitionProblem::toString).toList();
    }

    @Test
    void aSourceDeclaresItsScrubScriptsAndHowManySnapshotsToKeep() {
        ParseResult result = parse("""
                database:
                  embedded: cnx
                snapshots:
                  keep: 5
                  scrub:
                    - UPDATE users SET email = 'user' || id || '@example.invalid'
                    - DELETE FROM api_keys; TRUNCATE sessions
                """);
        assertThat(result.problems()).isEmpty();
        assertThat(result.definition().orElseThrow().snapshots())
                .contains(new SnapshotSpec(
                        5,
                        List.of(
                                "UPDATE users SET email = 'user' || id || '@example.invalid'",
                                "DELETE FROM api_keys; TRUNCATE sessions"),
                        Optional.empty()));
    }

    @Test
    void aSourceMayTakeItsSnapshotsOnACronScheduleInATimeZone() {
        ParseResult result = parse("""
                snapshots:
                  scrub: [DELETE FROM api_keys]
                  schedule: {cron: "30 2 * * 1-5", zone: America/Chicago}
                """);
        assertThat(result.problems()).isEmpty();
        assertThat(result.definition().orElseThrow().snapshots().orElseThrow().schedule())
                .contains(new Schedule("30 2 * * 1-5", "America/Chicago"));
        assertThat(problems("snapshots:\n  scrub: [DELETE FROM x]\n  schedule: {cron: \"every night\"}\n"))
                .anySatisfy(p -> assertThat(p).contains("snapshots.schedule.cron: expected a five-field cron"));
        assertThat(
                        problems(
                                "snapshots:\n  scrub: [DELETE FROM x]\n  schedule: {cron: \"0 3 * * *\", zone: Mars/Olympus}\n"))
                .anySatisfy(p -> assertThat(p).contains("snapshots.schedule.zone: expected a time zone"));
    }

    @Test
    void keepDefaultsToThreeAndAnEnvironmentWithoutTheKeyHasNoSnapshots() {
        assertThat(parse("snapshots:\n  scrub: [DELETE FROM api_keys]\n")
                        .definition()
                        .orElseThrow()
                        .snapshots()
                        .orElseThrow()
                        .keep())
                .isEqualTo(3);
        assertThat(parse("").definition().orElseThrow().snapshots()).isEmpty();
    }

    @Test
    void snapshotsWithoutScrubScriptsAreRefusedSoNothingUnscrubbedIsEverStored() {
        assertThat(problems("snapshots:\n  keep: 2\n"))
                .anySatisfy(p -> assertThat(p).contains("snapshots.scrub"));
        assertThat(problems("snapshots:\n  scrub: []\n"))
                .anySatisfy(p -> assertThat(p).contains("snapshots.scrub: expected a list of SQL scripts"));
        assertThat(problems("snapshots:\n  scrub: [DELETE FROM x]\n  keep: 0\n"))
                .anySatisfy(p -> assertThat(p).contains("snapshots.keep"));
    }

    @Test
    void anEmbeddedDatabaseNamesTheSourceThatSeedsItAndOnlyAnEmbeddedOne() {
        ParseResult seeded = parse("database:\n  embedded: conveyor_dev_ada\n  seed: staging\n");
        assertThat(seeded.problems()).isEmpty();
        assertThat(seeded.definition().orElseThrow().database().orElseThrow().seed())
                .isEqualTo(Optional.of("staging"));
        assertThat(problems("""
                        database:
                          url: jdbc:postgresql://db:5432/cnx
                          user: cnx
                          password: ${secret:cnx-db}
                          seed: staging
                        """))
                .anySatisfy(
                        p -> assertThat(p).contains("database.seed: unexpected key, seed is only used with embedded"));
    }
}
