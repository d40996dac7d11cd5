package org.cnx.conveyor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The two ways a destructive form asks first (a dialog with JavaScript, a page without) cover the same forms. */
class ConfirmStepTest {

    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>");
    private static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"");

    @Test
    void everyFormThatAsksInADialogIsAlsoAskedAboutWithoutJavaScriptAndTheOtherWayRound() throws IOException {
        List<String> dialogs = formActions(true);
        List<String> plain = formActions(false);

        assertThat(dialogs)
                .isNotEmpty()
                .allSatisfy(path -> assertThat(asked(path))
                        .as("%s has data-confirm: ConfirmStep.ACTIONS must ask about it too", path)
                        .isTrue());
        assertThat(plain)
                .allSatisfy(path -> assertThat(asked(path))
                        .as("%s is asked about by ConfirmStep: its form needs data-confirm too", path)
                        .isFalse());
        assertThat(ConfirmStep.ACTIONS)
                .allSatisfy(action -> assertThat(dialogs)
                        .as("a form with data-confirm posts to %s", action.path())
                        .anyMatch(path -> action.path().matcher(path).matches()));
    }

    private static boolean asked(String path) {
        return ConfirmStep.ACTIONS.stream().anyMatch(a -> a.path().matcher(path).matches());
    }

    /** The actions of the templates' post forms with (or without) data-confirm, each {@code {expression}} as "7". */
    private static List<String> formActions(boolean withConfirm) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/templates"))) {
            return files.filter(f -> f.toString().endsWith(".html"))
                    .flatMap(f -> {
                        try {
                            return FORM.matcher(Files.readString(f)).results().map(r -> r.group());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .filter(form -> form.contains("method=\"post\"") && form.contains("data-confirm") == withConfirm)
                    .map(ACTION::matcher)
                    .filter(Matcher::find)
                    .map(m -> m.group(1).replaceAll("\\{[^}]*}", "7"))
                    .toList();
        }
    }
}
