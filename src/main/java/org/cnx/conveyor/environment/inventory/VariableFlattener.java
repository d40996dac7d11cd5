package org.cnx.conveyor.environment.inventory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.cnx.conveyor.environment.definition.SecretReferences;

/**
 * Turns nested Ansible variables into flat {@code UPPER_SNAKE} environment variables; values of keys that look like
 * secrets are replaced by secret references in the definition and handed over separately, to be stored encrypted.
 * The rule errs towards secrets: a definition is readable by every reviewer, a secret only by deploys.
 */
final class VariableFlattener {

    /** Parts of a variable's name (its parents' names included) that make it a secret: {@code DB_PASS}, {@code API_PW}. */
    static final List<String> SECRET_WORDS =
            List.of("pass", "pw", "pwd", "secret", "token", "key", "access", "pem", "cert", "credential");
    /** Ansible Vault's convention for variables holding vaulted values. */
    static final String VAULT_PREFIX = "vault_";

    private static final int MAX_SECRET_NAME = 63;

    private final String environmentName;
    private final List<String> warnings;
    private final Map<String, String> secrets;
    private final String what;
    private final Set<String> vaulted;

    /** {@code secrets} receives each secret-like variable's value under the name of the secret that replaces it. */
    VariableFlattener(String environmentName, List<String> warnings, Map<String, String> secrets) {
        this(environmentName, warnings, secrets, "variable", Set.of());
    }

    /** As above; the variables named in {@code vaulted} came from vault files and are secrets whatever their name. */
    VariableFlattener(String environmentName, List<String> warnings, Map<String, String> secrets, Set<String> vaulted) {
        this(environmentName, warnings, secrets, "variable", vaulted);
    }

    /**
     * @param secretPrefix starts the name of every secret ({@code prod}, or {@code prod-prod07-cnx-org} for a host's)
     * @param what names the variables in warnings ({@code variable}, {@code host prod07-cnx-org variable})
     * @param vaulted variables that came from vault files: secrets whatever their name
     */
    VariableFlattener(
            String secretPrefix, List<String> warnings, Map<String, String> secrets, String what, Set<String> vaulted) {
        this.environmentName = secretPrefix;
        this.warnings = warnings;
        this.secrets = secrets;
        this.what = what;
        this.vaulted = vaulted;
    }

    /** The variables that came from vault files: secrets whatever their name. */
    Set<String> vaulted() {
        return vaulted;
    }

    Map<String, String> flatten(Map<String, Object> variables) {
        Map<String, String> flat = new LinkedHashMap<>();
        variables.forEach((key, value) -> add(flat, variableName(key), value, vaulted.contains(key)));
        return flat;
    }

    private void add(Map<String, String> flat, String name, Object value, boolean fromVault) {
        if (value instanceof Map<?, ?> nested) {
            nested.forEach((key, child) -> add(flat, name + "_" + variableName(String.valueOf(key)), child, fromVault));
            return;
        }
        if (value instanceof List<?> list && list.stream().anyMatch(item -> !(item instanceof String))) {
            warnings.add(what + " " + name + " is a list of mappings or lists; not copied");
            return;
        }
        String text = value instanceof List<?> list
                ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                : String.valueOf(value);
        if (looksLikeSecret(name) && SecretReferences.isReference(text)) {
            // Refers to another secret (db_password: "{{ vault_db_password }}"): the same secret, not a copy.
            flat.put(name, text);
            return;
        }
        if (fromVault || looksLikeSecret(name)) {
            String secret = secretName(name);
            warnings.add(what + " " + name + " looks like a secret; its value is not in the definition but in secret "
                    + secret);
            secrets.put(secret, text);
            flat.put(name, "${secret:" + secret + "}");
            return;
        }
        if (text.contains("{{") || text.contains("{%")) {
            warnings.add(
                    what + " " + name + " uses a Jinja expression that cannot be resolved, copied as written: " + text);
        }
        flat.put(name, text);
    }

    static boolean looksLikeSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith(VAULT_PREFIX) || SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    /** The secret holding a secret-like variable, by its Ansible name. */
    String secretOf(String key) {
        return secretName(variableName(key));
    }

    private String secretName(String variable) {
        String name =
                (environmentName + "-" + variable.toLowerCase(Locale.ROOT).replace('_', '-')).replaceAll("-+", "-");
        return name.length() > MAX_SECRET_NAME ? name.substring(0, MAX_SECRET_NAME) : name;
    }

    /** {@code archive.db-name} → {@code ARCHIVE_DB_NAME}. */
    static String variableName(String key) {
        String name = key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        return name.isEmpty() || Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }
}
