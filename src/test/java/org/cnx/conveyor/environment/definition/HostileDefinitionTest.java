package org.cnx.conveyor.environment.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cnx.conveyor.yaml.SafeYamlTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A definition made to hurt the parser is a definition problem at once, never minutes of CPU or a stack overflow. */
@Timeout(10)
class HostileDefinitionTest {

    private static List<String> problems(String yaml) {
        ParseResult result = new DefinitionParser().parse("environments/bad.yml", yaml);
        assertThat(result.definition()).isEmpty();
        return result.problems().stream().map(DefinitionProblem::toString).toList();
    }

    @Test
    void anAliasBombIsAYamlProblem() {
        assertThat(problems("name: bad\nkind: shared\nstage: dev\nvariables:\n  X: x\n" + SafeYamlTestData.ALIAS_BOMB))
                .singleElement()
                .asString()
                .startsWith("environments/bad.yml:1:1: (yaml): invalid YAML")
                .contains("through its aliases");
    }

    @Test
    void aRecursiveAliasIsAYamlProblem() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                variables: &v
                  X: *v
                """))
                .singleElement()
                .asString()
                .contains("(yaml): invalid YAML")
                .contains("recursive alias");
    }
}
