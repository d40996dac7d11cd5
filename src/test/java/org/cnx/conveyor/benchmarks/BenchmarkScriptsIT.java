package org.cnx.conveyor.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every script in {@code benchmarks/} runs in its smoke mode (tiny sizes, seconds) against the packaged Conveyor, so a
 * benchmark that stops working against the current code fails the build; the full runs stay manual.
 */
class BenchmarkScriptsIT {

    @TempDir
    Path tmp;

    static Stream<String> scripts() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("benchmarks"))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".sh"))
                    .sorted()
                    .toList();
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void everyBenchmarkScriptRunsToTheEndInItsSmokeMode(String script) throws Exception {
        Path output = tmp.resolve(script + ".out");
        ProcessBuilder builder = new ProcessBuilder("bash", "benchmarks/" + script, "--smoke")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment()
                .put("CONVEYOR_JAR", System.getProperty("conveyor.jar", "target/quarkus-app/quarkus-run.jar"));
        // The Java benchmarks run on this test's classpath instead of calling Maven again.
        builder.environment()
                .put(
                        "BENCH_CLASSPATH",
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        // The fake SSH hosts of the deploy benchmark: a folder and ports of their own, apart from a manual run's.
        // Their login user must reach its folder: the temporary folder is the test's (root's) own otherwise.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        builder.environment().put("BENCH_DIR", tmp.resolve("hosts").toString());
        builder.environment().put("BENCH_BASE_PORT", "22300");
        Process process = builder.start();
        boolean ended = process.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        String text = Files.readString(output);
        assertThat(ended)
                .as("%s --smoke ended within 10 minutes:%n%s", script, text)
                .isTrue();
        assertThat(process.exitValue())
                .as("%s --smoke exit code; its output:%n%s", script, text)
                .isZero();
    }
}
