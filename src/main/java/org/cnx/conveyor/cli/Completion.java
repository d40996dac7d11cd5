package org.cnx.conveyor.cli;

/** Shell completion scripts for the command names and options. */
final class Completion {

    private static final String COMMANDS =
            "login envs releases release deploy rollback promote approve reject logs runbook completion help";
    private static final String OPTIONS =
            "--json --url --token --follow --limit --list --notes --branch --commit --committed-at"
                    + " --repository --note --reason --param --confirm --allow-irreversible";

    private Completion() {}

    static String script(String shell) throws Arguments.Wrong {
        return switch (shell) {
            case "bash" -> """
                    # conveyor completion for bash: source <(conveyor completion bash)
                    _conveyor() {
                        local cur=${COMP_WORDS[COMP_CWORD]}
                        if [ "$COMP_CWORD" -eq 1 ]; then
                            COMPREPLY=($(compgen -W "%s" -- "$cur"))
                        elif [[ $cur == --* ]]; then
                            COMPREPLY=($(compgen -W "%s" -- "$cur"))
                        elif [ "${COMP_WORDS[1]}" = release ] && [ "$COMP_CWORD" -eq 2 ]; then
                            COMPREPLY=($(compgen -W "create" -- "$cur"))
                        elif [ "${COMP_WORDS[1]}" = runbook ] && [ "$COMP_CWORD" -eq 2 ]; then
                            COMPREPLY=($(compgen -W "list run" -- "$cur"))
                        else
                            COMPREPLY=($(compgen -f -- "$cur"))
                        fi
                    }
                    complete -F _conveyor conveyor
                    """.formatted(COMMANDS, OPTIONS);
            case "zsh" -> """
                    #compdef conveyor
                    # conveyor completion for zsh: conveyor completion zsh > "${fpath[1]}/_conveyor"
                    _conveyor() {
                        if (( CURRENT == 2 )); then
                            compadd %s
                        elif [[ $words[CURRENT] == --* ]]; then
                            compadd -- %s
                        else
                            _files
                        fi
                    }
                    compdef _conveyor conveyor
                    """.formatted(COMMANDS, OPTIONS);
            default -> throw new Arguments.Wrong("expected completion bash or zsh, found \"" + shell + "\"");
        };
    }
}
