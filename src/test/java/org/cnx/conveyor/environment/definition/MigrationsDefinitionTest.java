package org.cnx.conveyor.environment.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cnx.conveyor.common.MigrationFormat;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.MigrationsRecipe;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.SuperUser;
import org.junit.jupiter.api.Test;

/** The long form of a recipe's migrations (format, interpreter, support files) and the database's superuser. */
class MigrationsDefinitionTest {

    private static final String HEAD = """
            name: cnx
            kind: shared
            stage: dev
            hosts:
              - name: db1
                address: 10.0.0.5
                user: deploy
                roles: [db]
                knownHosts: /etc/conveyor/known_hosts
                key: ${secret:cnx-ssh-key}
            components:
              db:
                start: ./start.sh
                stop: ./stop.sh
            """;

    private static ParseResult parse(String migrations, String database) {
        return new DefinitionParser().parse("environments/cnx.yml", HEAD + migrations + database);
    }

    @Test
    void aDbMigratorRecipeWithItsInterpreterAndSupportFilesAndASuperuserAreRead() {
        ParseResult result = parse("""
                    migrations:
                      folder: cnxdb/migrations
                      format: db-migrator
                      python: venv/bin/python
                      support: ["sql/*.sql", "__init__.py"]
                """, """
                database:
                  via: db1
                  name: cnxarchive
                  user: rhaptos
                  password: ${secret:cnx-db}
                  superuser:
                    user: postgres
                    password: ${secret:cnx-db-super}
                """);

        assertThat(result.problems()).isEmpty();
        EnvironmentDefinition definition = result.definition().orElseThrow();
        assertThat(definition.components().get("db").migrations())
                .contains(new MigrationsRecipe(
                        "cnxdb/migrations",
                        MigrationFormat.DB_MIGRATOR,
                        "venv/bin/python",
                        List.of("sql/*.sql", "__init__.py")));
        assertThat(definition.database().orElseThrow().superuser())
                .contains(new SuperUser("postgres", "${secret:cnx-db-super}"));
        assertThat(definition.secretNames()).contains("cnx-db-super");
    }

    @Test
    void badFormatsInterpretersSupportPatternsAndSuperusersAreReportedWhereTheyAre() {
        ParseResult result = parse("""
                    migrations:
                      folder: ../migrations
                      format: alembic
                      python: ../../usr/bin/python
                      support: ["/etc/passwd"]
                """, """
                database:
                  via: db1
                  name: cnxarchive
                  user: rhaptos
                  password: ${secret:cnx-db}
                  superuser:
                    user: postgres
                    password: plain-text
                """);

        assertThat(result.problems().stream().map(DefinitionProblem::toString))
                .anySatisfy(p -> assertThat(p).contains("components.db.migrations.folder: expected a relative folder"))
                .anySatisfy(
                        p -> assertThat(p)
                                .contains(
                                        "components.db.migrations.format: expected one of flyway, db-migrator, found \"alembic\""))
                .anySatisfy(
                        p -> assertThat(p).contains("components.db.migrations.python: expected a Python interpreter"))
                .anySatisfy(p ->
                        assertThat(p).contains("components.db.migrations.support[0]: expected a list of file patterns"))
                .anySatisfy(p -> assertThat(p).contains("database.superuser.password"));
    }

    @Test
    void anEmbeddedDatabaseNeverHasASuperuserAndTheFlywayFormatNeverAPython() {
        ParseResult result = parse("""
                    migrations:
                      folder: migrations
                      python: venv/bin/python
                """, """
                database:
                  embedded: cnx
                  superuser:
                    user: postgres
                    password: ${secret:x}
                """);

        assertThat(result.problems().stream().map(DefinitionProblem::toString))
                .anySatisfy(p -> assertThat(p)
                        .contains("components.db.migrations.python: unexpected key, the flyway format runs SQL"))
                .anySatisfy(p -> assertThat(p)
                        .contains("database.superuser: unexpected key, superuser is not used with embedded"));
    }
}
