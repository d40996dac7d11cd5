package org.cnx.conveyor.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Conveyor reads back from Prometheus, and what its load-balancer commands hand to a shell. */
class RolloutProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aVectorAnswerIsEverySamplesValueAndAScalarIsOne() throws IOException {
        assertThat(PrometheusQuery.parse(JSON.readTree("""
                        {"resultType": "vector", "result": [
                          {"metric": {"server": "web1"}, "value": [1700000000.1, "0.25"]},
                          {"metric": {"server": "web2"}, "value": [1700000000.1, "NaN"]}]}
                        """))).containsExactly(0.25, Double.NaN);
        assertThat(PrometheusQuery.parse(JSON.readTree("""
                        {"resultType": "scalar", "result": [1700000000.1, "3"]}
                        """))).containsExactly(3.0);
        assertThat(PrometheusQuery.parse(JSON.readTree("""
                        {"resultType": "vector", "result": []}
                        """))).isEmpty();
    }

    @Test
    void aMatrixOrAStringAnswerIsRefused() {
        assertThatThrownBy(() -> PrometheusQuery.parse(JSON.readTree("""
                        {"resultType": "matrix", "result": []}
                        """)))
                .hasMessageContaining("expected a vector or a scalar");
    }

    @Test
    void aHookGetsTheServerAndStateInItsEnvironmentAndValuesStayValues() throws Exception {
        String command = LoadBalancerCommands.hook(
                "printf '%s|%s|%s|%s' \"$CONVEYOR_LB_BACKEND\" \"$CONVEYOR_LB_SERVER\" \"$CONVEYOR_LB_STATE\" "
                        + "\"$CONVEYOR_HOST\"",
                "site/web1", ServerState.DRAIN, Map.of("CONVEYOR_HOST", "web1'; touch /tmp/pwned-by-a-host-name; '"));
        Process sh = new ProcessBuilder("sh", "-c", command).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor()).isZero();
        assertThat(out).isEqualTo("site|web1|drain|web1'; touch /tmp/pwned-by-a-host-name; '");
        assertThat(java.nio.file.Path.of("/tmp/pwned-by-a-host-name")).doesNotExist();
    }

    @Test
    void theHaproxyCallPassesAddressServerAndStateAsSingleWords() {
        String command = LoadBalancerCommands.haproxy(
                "/run/haproxy/admin.sock", "webview/web1", ServerState.READY, Duration.ofSeconds(30));
        assertThat(command).startsWith("python3 -c '").endsWith(" '/run/haproxy/admin.sock' 'webview/web1' 'ready' 30");
    }
}
