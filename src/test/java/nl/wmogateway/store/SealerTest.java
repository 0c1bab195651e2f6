package nl.wmogateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import nl.wmogateway.support.engines.GatewayProcess;
import org.junit.jupiter.api.Test;

class SealerTest {

    private static final String KEY_A = GatewayProcess.testKey("a");
    private static final String KEY_B = GatewayProcess.testKey("b");
    private static final String PSEUDONYM = GatewayProcess.testKey("p");

    private final Sealer sealer = Sealer.parse("a:" + KEY_A + ",pseudonym:" + PSEUDONYM, Optional.empty());

    @Test
    void aSealedValueOpensOnlyInItsOwnPlaceAndHidesItsContent() {
        byte[] clear = "{\"bsn\":\"999911120\",\"naam\":\"de Vries\"}".getBytes(StandardCharsets.UTF_8);

        byte[] sealed = sealer.seal(clear, "inbound_message.body:1");

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("999911120", "Vries");
        assertThat(sealer.open(sealed, "inbound_message.body:1")).isEqualTo(clear);
        assertThat(sealer.seal(clear, "inbound_message.body:1"))
                .as("a fresh nonce each time")
                .isNotEqualTo(sealed);
        assertThatThrownBy(() -> sealer.open(sealed, "inbound_message.body:2"))
                .hasMessageContaining("altered or belongs to another row")
                .hasMessageNotContaining("999911120");
    }

    @Test
    void aChangedByteIsRefusedNotMisread() {
        String sealed = sealer.sealText("plan of 999911120", "wmo_request.plan_json:r1");
        byte[] raw = Base64.getDecoder().decode(sealed.substring("wgs1:".length()));
        raw[raw.length - 20] ^= 1;
        String tampered = "wgs1:" + Base64.getEncoder().encodeToString(raw);

        assertThat(sealer.openText(sealed, "wmo_request.plan_json:r1")).isEqualTo("plan of 999911120");
        assertThatThrownBy(() -> sealer.openText(tampered, "wmo_request.plan_json:r1"))
                .hasMessageContaining("wmo_request.plan_json was altered");
    }

    @Test
    void afterRotationOldValuesStillOpenAndAreMarkedForSealingAgain() {
        byte[] old = sealer.seal("x".getBytes(StandardCharsets.UTF_8), "t.c:1");
        Sealer rotated = Sealer.parse("b:" + KEY_B + ",a:" + KEY_A + ",pseudonym:" + PSEUDONYM, Optional.empty());

        assertThat(rotated.currentKeyId()).isEqualTo("b");
        assertThat(rotated.open(old, "t.c:1")).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
        assertThat(rotated.needsReseal(old)).isTrue();
        assertThat(rotated.needsReseal(rotated.seal(old, "t.c:1"))).isFalse();
        assertThat(rotated.needsReseal("{}".getBytes(StandardCharsets.UTF_8)))
                .as("a value from before encryption at rest")
                .isTrue();
        assertThat(rotated.needsResealText(sealer.sealText("y", "t.d:1"))).isTrue();

        Sealer withoutA = Sealer.parse("b:" + KEY_B + ",pseudonym:" + PSEUDONYM, Optional.empty());
        assertThatThrownBy(() -> withoutA.open(old, "t.c:1")).hasMessageContaining("storage key 'a'");
    }

    @Test
    void thePseudonymIsStablePerKeyAndRevealsNoBsn() {
        String p = sealer.pseudonym("999911120");

        assertThat(p).hasSize(64).doesNotContain("999911120").isEqualTo(sealer.pseudonym("999911120"));
        assertThat(p).isNotEqualTo(sealer.pseudonym("999911132"));
        Sealer other = Sealer.parse("a:" + KEY_A + ",pseudonym:" + KEY_B, Optional.empty());
        assertThat(other.pseudonym("999911120")).isNotEqualTo(p);
    }

    @Test
    void aWrongKeyListIsNamedWithoutItsValue() {
        assertThatThrownBy(() -> Sealer.parse("a:" + KEY_A, Optional.empty())).hasMessageContaining("'pseudonym:'");
        assertThatThrownBy(() -> Sealer.parse("a:c2hvcnQ=,pseudonym:" + PSEUDONYM, Optional.empty()))
                .hasMessageContaining("'a' must be 32 bytes")
                .hasMessageNotContaining("c2hvcnQ");
        assertThatThrownBy(
                        () -> Sealer.parse("a:" + KEY_A + ",a:" + KEY_B + ",pseudonym:" + PSEUDONYM, Optional.empty()))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> Sealer.parse("a:" + KEY_A + ",pseudonym:" + PSEUDONYM, Optional.of("z")))
                .hasMessageContaining("'z' is not among the keys");
        assertThat(MessageStore.withoutClientData("BSN 999911120 is wrong; postcode 7511 AB unknown"))
                .isEqualTo("BSN [bsn] is wrong; postcode [postcode] unknown");
        String hash = "124f9a5a09bccb1f2a6dca77851681536e42d6a999911120e7661c81b3a199e2";
        assertThat(MessageStore.withoutClientData("refused: sha256 " + hash + ", BSN 999911120"))
                .isEqualTo("refused: sha256 " + hash + ", BSN [bsn]");
    }
}
