package dev.easel.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AesGcmTest {

  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }

  @Test
  void aSealedSecretOpensForItsOwnRecordOnly() {
    AesGcm box = new AesGcm(key(7));
    byte[] sealed = box.seal("hunter2", "registry-a");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
    assertThat(box.open(sealed, "registry-a")).isEqualTo("hunter2");
    assertThatThrownBy(() -> box.open(sealed, "registry-b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("altered or moved");
  }

  @Test
  void sealingTwiceGivesDifferentBytes() {
    AesGcm box = new AesGcm(key(7));
    assertThat(box.seal("same", "r")).isNotEqualTo(box.seal("same", "r"));
  }

  @Test
  void anotherKeySaysTheKeyChangedRatherThanTampering() {
    byte[] sealed = new AesGcm(key(1)).seal("pw", "r");
    assertThatThrownBy(() -> new AesGcm(key(2)).open(sealed, "r"))
        .hasMessageContaining("key changed");
  }

  @Test
  void aFlippedBitDoesNotOpen() {
    AesGcm box = new AesGcm(key(3));
    byte[] sealed = box.seal("pw", "r");
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> box.open(sealed, "r")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aKeyMustBe256Bits() {
    assertThatThrownBy(() -> new AesGcm(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }
}
