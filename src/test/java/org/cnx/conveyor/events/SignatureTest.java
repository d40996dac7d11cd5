package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A signer set up once per run signs every body as a fresh HMAC would: the key is reused, nothing else carries over. */
class SignatureTest {

    @Test
    void aReusedSignerGivesTheSameHeadersAsSigningEachBodyOnItsOwn() {
        Signature.Signer signer = Signature.signer("run-secret-0123456789");
        List<String> bodies = List.of("{\"id\":\"1\"}", "", "{\"text\":\"é ü ✓\"}", "{\"id\":\"1\"}");
        long t = 1_700_000_000L;
        for (String body : bodies) {
            assertThat(signer.header(t, body.getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(Signature.header("run-secret-0123456789", t, body))
                    .isEqualTo("t=" + t + ",v1=" + Signature.hmac("run-secret-0123456789", t + "." + body));
            t++;
        }
    }

    @Test
    void theSameBodySignedWithTwoSecretsGivesTwoSignatures() {
        byte[] body = "{\"id\":\"shared\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Signature.signer("secret-a-0123456789").header(5, body))
                .isNotEqualTo(Signature.signer("secret-b-0123456789").header(5, body));
    }
}
