package org.cnx.conveyor.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;

/** Hostile YAML is a YAML problem at once: alias bombs, recursive aliases, deep nesting, huge texts. */
@Timeout(10)
class SafeYamlTest {

    static final String ALIAS_BOMB = SafeYamlTestData.ALIAS_BOMB;
    static final String RECURSIVE_ALIAS = "a: &a\n  b: *a\n";

    @Test
    void anAliasBombIsRefused() {
        assertThatThrownBy(() -> SafeYaml.compose(ALIAS_BOMB))
                .isInstanceOf(YAMLException.class)
                .hasMessageContaining("alias");
    }

    @Test
    void aRecursiveAliasIsRefusedInsteadOfOverflowingTheStack() {
        assertThatThrownBy(() -> SafeYaml.compose(RECURSIVE_ALIAS))
                .isInstanceOf(YAMLException.class)
                .hasMessageContaining("recursive alias");
        assertThatThrownBy(() -> SafeYaml.compose("&a [*a]"))
                .isInstanceOf(YAMLException.class)
                .hasMessageContaining("recursive alias");
    }

    @Test
    void deepNestingAndHugeTextsAreRefused() {
        assertThatThrownBy(() -> SafeYaml.compose("a: " + "[".repeat(200) + "]".repeat(200)))
                .isInstanceOf(YAMLException.class);
        assertThatThrownBy(() -> SafeYaml.compose("a: \"" + "x".repeat(SafeYaml.MAX_CODE_POINTS) + "\""))
                .isInstanceOf(YAMLException.class);
    }

    @Test
    void ordinaryAliasesAndMergeKeysStillWork() {
        assertThat(SafeYaml.compose("""
                defaults: &defaults {user: deploy, port: 22}
                web: {<<: *defaults, port: 2222}
                db: *defaults
                """)).isInstanceOf(MappingNode.class);
    }
}
