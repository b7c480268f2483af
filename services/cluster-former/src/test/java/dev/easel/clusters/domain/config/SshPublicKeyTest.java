package dev.easel.clusters.domain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SshPublicKeyTest {

  // Made with ssh-keygen (OpenSSH 9.2); the fingerprints are what `ssh-keygen -l` printed.
  static final String ED25519_FROM_SSH_KEYGEN =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDfeg9GZUsQHIxy9FeTHHe85UhGIPNaX2w+TCjXDKanJ"
          + " ops@example.com";
  static final String ECDSA_521_FROM_SSH_KEYGEN =
      "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBABByrV58L8vm3TZVuzJ"
          + "Vui5HYRh/5Jhwuc/SxMEylGy2EiLi8+AOB+9k0MV02L8RP+69INaS57cIDXsksc6bysxlwDglT2+X5nDbr5b2IxbiU49/p3l9KVdn6T+RTYXVNa4gaI1R0vt/h5upJK3/iuClyvEUTGFezbUC91QHbuhWPFb0A=="
          + " ops@example.com";
  static final String RSA_3072_FROM_SSH_KEYGEN =
      "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCv9RRZ9qy1Bp/+f5nN2lSAsNrFMQf9HKys7BcyTZnlO9Xfif5KMrSF"
          + "OH2Yo9O9y5o2Ng9sML3XaUS7Rj527ZxYY4VxgAggdfTZQTeylRiDhCA/ASKozIYIiWeMLtdv/ca55Mbgcj8fcyDZ"
          + "3CJzT4FVycQvdYylYdcdvPj8Qjgt5gaO/doI/l+OAPStgZtNJaF+7qf82nG9zdhecoqYYPrEkIb4TadTZmp7Bhnd"
          + "H1LMXkrAi9KU1LdpMAeMUM/Ga8a9QlWe1Y0ohUige80JUQAy9mvKkoVSZkUuaM3pC1VeGQJaonSV9f7GrJ2Tj/zD"
          + "x2T7aRYjULbpylddRu/TNv5Fc3oWk/Z8bscmk2kgJWWizlq7bU5azTJKudcgu/ryI+2ODBrreAxamLdK/E1SS4sn"
          + "dKJ4aI24qBkMh+g2AUL50o5daItOxEKbecPvgT0bdUxatUuhMXwdGJcECmQarqSAOG4ApU3kOFwAwEf3qB18POjgXdlbTZnrdxuGIKnRhR0="
          + " ops@example.com";
  static final String DSA_FROM_SSH_KEYGEN =
      "ssh-dss AAAAB3NzaC1kc3MAAACBAKVQXycIRSSWaJAOcdOMuM9CWTPgCMjOMchRmBUDB+d9Fjkq7724ZI+OSsEubiQS"
          + "BU9C9YJwDLQCDATK/E5/BKogaQiWaMrlxhN/tZwERlXqg6rxzEAP7pArHMczbqExnrSOBCX3geNe3zyqrswZoB0y"
          + "mCbbqNlwfjXUseluxuR7AAAAFQCVqaSC0hM2Yy0qk52G0o33MCzV/wAAAIB+hX+xpg0caz30hfG8M4cX3RcibVeC"
          + "bcAhWuRDE7wcGkMkKTv6Nh4reRii/FgBXe4ct2YNJpaLg60aXG4JLpp9JQ34k0P8wb+8h+ywoUvNy6EKvobTBILr"
          + "H7i9K4knvxZYR1YBIIUMtcHVOgBGcAYenVjMMPQQlquzumnY09djHgAAAIBVGJt6Sf2/SWidhbxxZeb/eweVgjb5"
          + "63/nE5b38KoYD7biVkZPy4T8f2oUNnkipbF+rF5Ic7tOIXggNjMmJKCV9cyJp4/gsgC0SyYghYYoGQuTJOl6NISDZFwTQBRK3/XyWPEVcPXEtzgLvl+Zczauqdhw0XrXkEs5tOoOP/ucLQ=="
          + " ops@example.com";

  @Test
  void printsTheSameFingerprintAndSizeAsSshKeygen() {
    assertThat(SshPublicKey.parse(ED25519_FROM_SSH_KEYGEN))
        .returns("ssh-ed25519", SshPublicKey::type)
        .returns(256, SshPublicKey::bits)
        .returns("ops@example.com", SshPublicKey::comment)
        .returns("SHA256:ggoauQCecPD2IvLqaWHVaij5mm0yG8ZqNaf2CT5M0qw", SshPublicKey::fingerprint);
    assertThat(SshPublicKey.parse(ECDSA_521_FROM_SSH_KEYGEN))
        .returns(521, SshPublicKey::bits)
        .returns("SHA256:NXJsepr+iz4I6IJZlITnSSz1Og9pC6o9sIBy/dBXfps", SshPublicKey::fingerprint);
    assertThat(SshPublicKey.parse(RSA_3072_FROM_SSH_KEYGEN))
        .returns(3072, SshPublicKey::bits)
        .returns("SHA256:MLH6hAKW0iVoZaoggjDir81xIO5ycNSyOYZNrHJfrmo", SshPublicKey::fingerprint);
  }

  @Test
  void acceptsAGeneratedEd25519Key() throws Exception {
    PublicKey key = OpenSshKeys.ed25519();

    SshPublicKey parsed = SshPublicKey.parse(OpenSshKeys.line(key, "ann@laptop"));

    byte[] digest = MessageDigest.getInstance("SHA-256").digest(OpenSshKeys.blob(key));
    assertThat(parsed.type()).isEqualTo("ssh-ed25519");
    assertThat(parsed.bits()).isEqualTo(256);
    assertThat(parsed.comment()).isEqualTo("ann@laptop");
    assertThat(parsed.fingerprint())
        .isEqualTo("SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest))
        .doesNotEndWith("=");
  }

  @Test
  void acceptsGeneratedEcdsaKeysWithTheirCurveSize() {
    assertThat(SshPublicKey.parse(OpenSshKeys.line(OpenSshKeys.ecP256(), null)))
        .returns("ecdsa-sha2-nistp256", SshPublicKey::type)
        .returns(256, SshPublicKey::bits)
        .returns("", SshPublicKey::comment);
    assertThat(SshPublicKey.parse(OpenSshKeys.line(OpenSshKeys.ecP384(), null)))
        .returns("ecdsa-sha2-nistp384", SshPublicKey::type)
        .returns(384, SshPublicKey::bits);
  }

  @Test
  void acceptsAGenerated2048BitRsaKey() {
    SshPublicKey parsed = SshPublicKey.parse(OpenSshKeys.line(OpenSshKeys.rsa(2048), "ci"));

    assertThat(parsed.type()).isEqualTo("ssh-rsa");
    assertThat(parsed.bits()).isEqualTo(2048);
  }

  @Test
  void refusesA1024BitRsaKeyNamingItsSize() {
    String line = OpenSshKeys.line(OpenSshKeys.rsa(1024), "old");

    assertThatThrownBy(() -> SshPublicKey.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1024 bits")
        .hasMessageContaining("at least 2048");
  }

  @Test
  void refusesDsaKeys() {
    assertThatThrownBy(() -> SshPublicKey.parse(DSA_FROM_SSH_KEYGEN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DSA");
  }

  @Test
  void refusesUnknownTypesCertificatesAndLeadingOptions() {
    String data = ED25519_FROM_SSH_KEYGEN.split(" ")[1];
    assertThatThrownBy(() -> SshPublicKey.parse("ssh-foo " + data))
        .hasMessageContaining("not a supported key type");
    assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519-cert-v01@openssh.com " + data))
        .hasMessageContaining("not a supported key type");
    assertThatThrownBy(() -> SshPublicKey.parse("no-pty ssh-ed25519 " + data))
        .hasMessageContaining("without options");
  }

  @Test
  void refusesKeyDataThatIsNotBase64() {
    assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 AAAA$$$$ me"))
        .hasMessageContaining("not valid base64");
  }

  @Test
  void refusesAKeyWithoutData() {
    assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519"))
        .hasMessageContaining("key data after 'ssh-ed25519' is missing");
  }

  @Test
  void refusesATruncatedKey() {
    byte[] blob = OpenSshKeys.blob(OpenSshKeys.rsa(2048));
    String cut = "ssh-rsa " + Base64.getEncoder().encodeToString(Arrays.copyOf(blob, 200));

    assertThatThrownBy(() -> SshPublicKey.parse(cut)).hasMessageContaining("truncated");
  }

  @Test
  void refusesAnEd25519KeyOfTheWrongLength() {
    String line =
        OpenSshKeys.forged(
            "ssh-ed25519", new OpenSshKeys.Writer().string("ssh-ed25519").bytes(new byte[31]));

    assertThatThrownBy(() -> SshPublicKey.parse(line)).hasMessageContaining("32 bytes");
  }

  @Test
  void refusesTrailingBytesAfterTheKey() {
    String line =
        OpenSshKeys.forged(
            "ssh-ed25519",
            new OpenSshKeys.Writer().string("ssh-ed25519").bytes(new byte[32]).raw(new byte[] {1}));

    assertThatThrownBy(() -> SshPublicKey.parse(line)).hasMessageContaining("unexpected bytes");
  }

  @Test
  void refusesATypeThatDoesNotMatchTheKeyData() {
    String rsaData = RSA_3072_FROM_SSH_KEYGEN.split(" ")[1];

    assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 " + rsaData))
        .hasMessageContaining("does not match the key data")
        .hasMessageContaining("ssh-rsa");
  }

  @Test
  void refusesAnEcdsaKeyWhoseCurveDoesNotMatchItsType() {
    byte[] p256 = OpenSshKeys.blob(OpenSshKeys.ecP256());
    // Keep the P-256 point, but relabel the type and the curve as P-384.
    OpenSshKeys.Writer relabelled =
        new OpenSshKeys.Writer().string("ecdsa-sha2-nistp384").string("nistp256");
    String line =
        OpenSshKeys.forged(
            "ecdsa-sha2-nistp384",
            relabelled.raw(Arrays.copyOfRange(p256, 4 + 19 + 4 + 8, p256.length)));

    assertThatThrownBy(() -> SshPublicKey.parse(line))
        .hasMessageContaining("does not match the curve");
  }

  @Test
  void refusesAnEcdsaPointThatIsNotOnTheCurve() {
    byte[] point = new byte[65];
    point[0] = 0x04;
    point[64] = 1;
    String line =
        OpenSshKeys.forged(
            "ecdsa-sha2-nistp256",
            new OpenSshKeys.Writer().string("ecdsa-sha2-nistp256").string("nistp256").bytes(point));

    assertThatThrownBy(() -> SshPublicKey.parse(line)).hasMessageContaining("not a point on");
  }

  @Test
  void refusesAnRsaKeyWithANegativeModulus() {
    String line =
        OpenSshKeys.forged(
            "ssh-rsa",
            new OpenSshKeys.Writer()
                .string("ssh-rsa")
                .mpint(BigInteger.valueOf(65537))
                .mpint(BigInteger.ONE.shiftLeft(2048).negate()));

    assertThatThrownBy(() -> SshPublicKey.parse(line)).hasMessageContaining("negative");
  }

  @Test
  void refusesSeveralLinesInOneEntry() {
    assertThatThrownBy(
            () -> SshPublicKey.parse(ED25519_FROM_SSH_KEYGEN + "\n" + ED25519_FROM_SSH_KEYGEN))
        .hasMessageContaining("one key per entry");
  }

  @Test
  void refusesABlankLine() {
    assertThatThrownBy(() -> SshPublicKey.parse("  ")).hasMessageContaining("required");
    assertThatThrownBy(() -> SshPublicKey.parse(null)).hasMessageContaining("required");
  }

  @Test
  void keepsACommentWithSpacesAndToleratesTabsAndSurroundingBlanks() {
    String data = ED25519_FROM_SSH_KEYGEN.split(" ")[1];

    SshPublicKey parsed = SshPublicKey.parse("  ssh-ed25519\t" + data + "   Ann  Smith (laptop)  ");

    assertThat(parsed.comment()).isEqualTo("Ann  Smith (laptop)");
    assertThat(parsed.authorizedKeysLine())
        .isEqualTo("ssh-ed25519 " + data + " Ann  Smith (laptop)");
  }
}
