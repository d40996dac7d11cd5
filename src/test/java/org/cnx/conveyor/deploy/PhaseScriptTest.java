package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.transport.LocalConnection;
import org.cnx.conveyor.transport.OutputSink;
import org.cnx.conveyor.transport.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phase scripts generated and run by a real {@code sh}: every value arrives as written, steps report through markers,
 * a failing step stops the script, a step's input arrives only when it asks, and recipe commands read nothing of it.
 */
class PhaseScriptTest {

    private static final String HOSTILE = "it's $(touch pwned) `touch pwned2` \"q\" ; rm -rf / #\nsecond line";

    @TempDir
    Path root;

    private final List<String> output = new ArrayList<>();
    private final List<String> events = new ArrayList<>();

    @Test
    void everyValueReachesTheCommandLiterallyAndNoneIsInTheExecsCommandLine() throws Exception {
        PhaseScript script = new PhaseScript(root.toString());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("VALUE", HOSTILE);
        int step = script.add(
                PhaseScript.recipe(
                        Shell.inDirectory(root.toString(), env, "printf '<%s>\\n' \"$VALUE\""), Duration.ofSeconds(30)),
                PhaseScript.OnFailure.STOP,
                Duration.ofSeconds(30));

        int exit = run(script, Map.of(), Map.of(step, recorder("s1")));

        assertThat(exit).isZero();
        assertThat(String.join("\n", output)).isEqualTo("<" + HOSTILE + ">");
        assertThat(root.resolve("pwned")).doesNotExist();
        assertThat(Path.of("pwned")).doesNotExist();
        assertThat(events).containsExactly("s1 begun", "s1 ended 0");
        assertThat(script.command()).doesNotContain("pwned").startsWith("exec sh -c ");
        assertThat(root.resolve(".conveyor")).isDirectory();
    }

    @Test
    void aLowPriorityScriptRunsAtTheLowestCpuPriority() throws Exception {
        PhaseScript script = new PhaseScript(root.toString()).priority(PhaseScript.Priority.LOW);
        script.add("nice", PhaseScript.OnFailure.STOP, Duration.ofSeconds(5));

        assertThat(run(script, Map.of(), Map.of())).isZero();

        // `nice` without a command prints the niceness it runs at.
        assertThat(output).containsExactly("19");
    }

    @Test
    void aFailingStepStopsTheScriptAndTheStepsAfterItAreToldTheyDidNotRun() throws Exception {
        PhaseScript script = new PhaseScript(root.toString());
        int first = script.add("echo one", PhaseScript.OnFailure.STOP, Duration.ofSeconds(5));
        int second = script.add("echo two; exit 7", PhaseScript.OnFailure.STOP, Duration.ofSeconds(5));
        int third = script.add(
                "touch " + Shell.quote(root.resolve("third").toString()),
                PhaseScript.OnFailure.STOP,
                Duration.ofSeconds(5));

        int exit = run(script, Map.of(), Map.of(first, recorder("s1"), second, recorder("s2"), third, recorder("s3")));

        assertThat(exit).isEqualTo(7);
        assertThat(events).containsExactly("s1 begun", "s1 ended 0", "s2 begun", "s2 ended 7", "s3 unfinished false");
        assertThat(root.resolve("third")).doesNotExist();
        assertThat(output).containsExactly("one", "two");
    }

    @Test
    void aStepThatMayFailLetsTheScriptGoOn() throws Exception {
        PhaseScript script = new PhaseScript(root.toString());
        int first = script.add("exit 3", PhaseScript.OnFailure.CONTINUE, Duration.ofSeconds(5));
        int second = script.add(
                PhaseScript.mark("answer", 2, "went", "on"), PhaseScript.OnFailure.STOP, Duration.ofSeconds(5));

        int exit = run(script, Map.of(), Map.of(first, recorder("s1"), second, recorder("s2")));

        assertThat(exit).isZero();
        assertThat(events)
                .containsExactly("s1 begun", "s1 ended 3", "s2 begun", "s2 answered [went, on]", "s2 ended 0");
    }

    @Test
    void aStepGetsItsInputWhenItAsksAndRecipeCommandsReadNone() throws Exception {
        Path artifact = root.resolve("artifact.bin");
        byte[] bytes = new byte[300_000];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(artifact, bytes);
        Path received = root.resolve("received.bin");
        PhaseScript script = new PhaseScript(root.toString());
        int take = script.addReadingInput(
                PhaseScript.mark("need", 1) + " && head -c " + bytes.length + " > " + Shell.quote(received.toString()),
                PhaseScript.OnFailure.STOP,
                Duration.ofSeconds(30));
        int after = script.add(
                PhaseScript.recipe("wc -c", Duration.ofSeconds(5)), PhaseScript.OnFailure.STOP, Duration.ofSeconds(5));

        int exit = run(script, Map.of(take, artifact), Map.of(take, recorder("s1"), after, recorder("s2")));

        assertThat(exit).isZero();
        assertThat(Files.readAllBytes(received)).isEqualTo(bytes);
        assertThat(output).containsExactly("0");
    }

    @Test
    void aRecipeCommandOverItsLimitIsStoppedOnTheHost() throws Exception {
        PhaseScript script = new PhaseScript(root.toString());
        int step = script.add(
                PhaseScript.recipe("sleep 30", Duration.ofSeconds(1)),
                PhaseScript.OnFailure.STOP,
                Duration.ofSeconds(1));

        int exit = run(script, Map.of(), Map.of(step, recorder("s1")));

        assertThat(exit).isEqualTo(PhaseScript.TIMED_OUT);
        assertThat(events).containsExactly("s1 begun", "s1 ended 124");
    }

    @Test
    void aCommandPrintingAMarkerWithoutTheNonceOnlyPrintsOutput() throws Exception {
        PhaseScript script = new PhaseScript(root.toString());
        int step = script.add(
                "echo '@@conveyor 000000000000000000000000 end 1 0'; exit 5",
                PhaseScript.OnFailure.STOP,
                Duration.ofSeconds(5));

        int exit = run(script, Map.of(), Map.of(step, recorder("s1")));

        assertThat(exit).isEqualTo(5);
        assertThat(events).containsExactly("s1 begun", "s1 ended 5");
        assertThat(output).containsExactly("@@conveyor 000000000000000000000000 end 1 0");
    }

    @Test
    void answerWordsAreCheckedPlainWords() {
        assertThat(PhaseScript.word("releases/12")).isEqualTo("releases/12");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PhaseScript.word("a b"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PhaseScript.word("$(x)"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private int run(PhaseScript script, Map<Integer, Path> inputs, Map<Integer, ScriptRun.StepListener> listeners)
            throws Exception {
        return ScriptRun.run(new LocalConnection("local"), script, new HashMap<>(inputs), listeners, (stream, line) -> {
            if (stream == OutputSink.Stream.STDOUT) {
                output.add(line);
            }
        });
    }

    private ScriptRun.StepListener recorder(String name) {
        return new ScriptRun.StepListener() {
            @Override
            public void begun() {
                events.add(name + " begun");
            }

            @Override
            public void answered(List<String> words) {
                events.add(name + " answered " + words);
            }

            @Override
            public void ended(int exit) {
                events.add(name + " ended " + exit);
            }

            @Override
            public void unfinished(boolean mayHaveBegun, String why) {
                events.add(name + " unfinished " + mayHaveBegun);
            }
        };
    }
}
