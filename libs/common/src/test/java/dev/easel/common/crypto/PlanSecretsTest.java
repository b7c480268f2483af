package dev.easel.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.testing.TestPlanKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PlanSecretsTest {

  /** One pair for the class: a 3072-bit key takes a moment to make. */
  private static final KeyPair PAIR = PlanSecrets.generateKeyPair();

  private static final String SECRET = "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCY";

  private final PlanSecrets.Sealer sealer = PlanSecrets.sealer(PAIR.getPublic());
  private final PlanSecrets.Opener opener = PlanSecrets.opener(PAIR.getPrivate());

  @Test
  void aSealedSecretOpensForItsPlanStepAndPath() {
    String sealed = sealer.seal("plan-1", "backup", "/run/easel/cloud", SECRET);

    assertThat(sealed).startsWith(PlanSecrets.PREFIX);
    assertThat(PlanSecrets.isSealed(sealed)).isTrue();
    assertThat(PlanSecrets.isSealed(SECRET)).isFalse();
    assertThat(opener.open("plan-1", "backup", "/run/easel/cloud", sealed)).isEqualTo(SECRET);
  }

  @Test
  void theClearTextIsNowhereInTheSealedValueNorInItsDecodedBytes() {
    String sealed = sealer.seal("p", "s", "/f", SECRET);
    byte[] decoded = Base64.getUrlDecoder().decode(sealed.substring(PlanSecrets.PREFIX.length()));

    assertThat(sealed).doesNotContain(SECRET).doesNotContain("wJalrXUtnFEMI");
    assertThat(new String(decoded, StandardCharsets.ISO_8859_1)).doesNotContain("wJalrXUtnFEMI");
    assertThat(sealer.seal("p", "s", "/f", SECRET))
        .as("a fresh key and nonce every time")
        .isNotEqualTo(sealed);
  }

  @Test
  void aValueMovedToAnotherPlanStepOrPathDoesNotOpen() {
    String sealed = sealer.seal("plan-1", "backup", "/run/easel/cloud", SECRET);

    assertThatThrownBy(() -> opener.open("plan-2", "backup", "/run/easel/cloud", sealed))
        .isInstanceOf(PlanSecrets.NotOpened.class)
        .hasMessageContaining("moved from another plan, step or path");
    assertThatThrownBy(() -> opener.open("plan-1", "restore", "/run/easel/cloud", sealed))
        .isInstanceOf(PlanSecrets.NotOpened.class);
    assertThatThrownBy(() -> opener.open("plan-1", "backup", "/run/easel/other", sealed))
        .isInstanceOf(PlanSecrets.NotOpened.class);
  }

  @Test
  void idsThatReadTheSameWhenJoinedAreStillDifferentBindings() {
    String sealed = sealer.seal("a|b", "c", "/f", SECRET);

    assertThatThrownBy(() -> opener.open("a", "b|c", "/f", sealed))
        .isInstanceOf(PlanSecrets.NotOpened.class);
  }

  @Test
  void aTamperedValueDoesNotOpenAndTheReasonHoldsNoContent() {
    String sealed = sealer.seal("p", "s", "/f", SECRET);
    byte[] bytes = Base64.getUrlDecoder().decode(sealed.substring(PlanSecrets.PREFIX.length()));
    for (int at : new int[] {20, bytes.length / 2, bytes.length - 1}) {
      byte[] altered = bytes.clone();
      altered[at] ^= 1;
      String tampered =
          PlanSecrets.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(altered);
      assertThatThrownBy(() -> opener.open("p", "s", "/f", tampered))
          .as("a bit flipped at %d", at)
          .isInstanceOf(PlanSecrets.NotOpened.class)
          .hasMessageContaining("altered")
          .hasMessageNotContaining("wJalr");
    }
    assertThatThrownBy(() -> opener.open("p", "s", "/f", PlanSecrets.PREFIX + "!!"))
        .isInstanceOf(PlanSecrets.NotOpened.class)
        .hasMessageContaining("damaged");
    assertThatThrownBy(() -> opener.open("p", "s", "/f", sealed.substring(0, sealed.length() / 2)))
        .isInstanceOf(PlanSecrets.NotOpened.class);
  }

  @Test
  void anotherKeyPairSaysTheKeysDoNotMatch() {
    PlanSecrets.Opener other = PlanSecrets.opener(PlanSecrets.generateKeyPair().getPrivate());
    String sealed = sealer.seal("p", "s", "/f", SECRET);

    assertThatThrownBy(() -> other.open("p", "s", "/f", sealed))
        .isInstanceOf(PlanSecrets.NotOpened.class)
        .hasMessageContaining("another plan key")
        .hasMessageContaining(sealer.keyId());
  }

  @Test
  void aClearValueIsNotOpened() {
    assertThatThrownBy(() -> opener.open("p", "s", "/f", SECRET))
        .isInstanceOf(PlanSecrets.NotOpened.class)
        .hasMessageContaining("not sealed")
        .hasMessageNotContaining("wJalr");
  }

  @Test
  void keysRoundTripThroughPem() {
    String pub = PlanSecrets.pem(PAIR.getPublic());
    String priv = PlanSecrets.pem(PAIR.getPrivate());

    assertThat(pub)
        .startsWith("-----BEGIN PUBLIC KEY-----\n")
        .endsWith("-----END PUBLIC KEY-----\n");
    assertThat(priv)
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    String sealed = PlanSecrets.sealer(PlanSecrets.publicKey(pub)).seal("p", "s", "/f", SECRET);
    assertThat(PlanSecrets.opener(PlanSecrets.privateKey(priv)).open("p", "s", "/f", sealed))
        .isEqualTo(SECRET);
    assertThat(PlanSecrets.keyId(PlanSecrets.publicKey(pub))).isEqualTo(opener.keyId());
  }

  @Test
  void aPkcs1OrSmallKeyIsRefusedWithAHint() throws Exception {
    assertThatThrownBy(
            () ->
                PlanSecrets.privateKey(
                    "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"))
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair small = g.generateKeyPair();
    assertThatThrownBy(() -> PlanSecrets.sealer(small.getPublic()))
        .hasMessageContaining("at least 3072");
    assertThatThrownBy(() -> PlanSecrets.opener(small.getPrivate()))
        .hasMessageContaining("at least 3072");
  }

  @Test
  void aPlanIsSealedStepByStepAndWhatWasSealedAlreadyStaysAsItIs() {
    UUID node = UUID.randomUUID();
    String already = sealer.seal("plan-9", "install", "/oem/a.yaml", "token-a");
    RunPlan plan =
        new RunPlan(
            node,
            "plan-9",
            "test",
            List.of(
                new PlanStep(
                    "install",
                    "install",
                    "true",
                    null,
                    null,
                    60,
                    1,
                    Map.of("/oem/a.yaml", already, "/oem/b.yaml", SECRET),
                    List.of("/var/lib/easel/out.json")),
                new PlanStep("check", "check", "true", null, null, 60, 0, null)),
            true);

    RunPlan sealed = PlanSecrets.sealed(plan, sealer);

    PlanStep install = sealed.steps().get(0);
    assertThat(install.secretFiles().get("/oem/a.yaml")).isEqualTo(already);
    assertThat(install.secretFiles().get("/oem/b.yaml")).startsWith(PlanSecrets.PREFIX);
    assertThat(
            opener.open(
                "plan-9", "install", "/oem/b.yaml", install.secretFiles().get("/oem/b.yaml")))
        .isEqualTo(SECRET);
    assertThat(install.artifacts()).containsExactly("/var/lib/easel/out.json");
    assertThat(install.command()).isEqualTo("true");
    assertThat(sealed.steps().get(1)).isEqualTo(plan.steps().get(1));
    assertThat(sealed.nodeId()).isEqualTo(node);
    assertThat(sealed.answersWhenFinished()).isTrue();
    assertThat(sealed.toString()).doesNotContain(SECRET);
    assertThat(PlanSecrets.carriesClearSecrets(plan)).isTrue();
    assertThat(PlanSecrets.carriesClearSecrets(sealed)).isFalse();
    assertThat(PlanSecrets.sealed(sealed, sealer)).isSameAs(sealed);
  }

  @Test
  void aSenderWithoutAKeySendsAsItIsAndOneWithTheFileSeals() {
    RunPlan plan =
        new RunPlan(
            UUID.randomUUID(),
            "p",
            "test",
            List.of(new PlanStep("s", "s", "true", null, null, 60, 0, Map.of("/f", SECRET))),
            false);

    PlanSealing none = PlanSealing.fromPublicKeyFile("");
    assertThat(none.seals()).isFalse();
    assertThat(none.seal(plan)).isSameAs(plan);

    PlanSealing sealing = PlanSealing.fromPublicKeyFile(TestPlanKeys.publicKeyFile().toString());
    assertThat(sealing.seals()).isTrue();
    String value = sealing.seal(plan).steps().get(0).secretFiles().get("/f");
    assertThat(value).startsWith(PlanSecrets.PREFIX).doesNotContain(SECRET);
    PlanSecrets.Opener testOpener =
        PlanSecrets.opener(PlanSecrets.readPrivateKey(TestPlanKeys.privateKeyFile()));
    assertThat(testOpener.open("p", "s", "/f", value)).isEqualTo(SECRET);
  }

  @Test
  void theTestKeysAreWhatNodeDiscoveryAndSendersRead() throws Exception {
    assertThat(TestPlanKeys.PRIVATE_KEY_FILE_PROPERTY)
        .isEqualTo(PlanSecrets.PRIVATE_KEY_FILE_PROPERTY);
    assertThat(TestPlanKeys.PUBLIC_KEY_FILE_PROPERTY)
        .isEqualTo(PlanSecrets.PUBLIC_KEY_FILE_PROPERTY);
    assertThat(TestPlanKeys.KEY_BITS).isEqualTo(PlanSecrets.MIN_KEY_BITS);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(TestPlanKeys.privateKeyFile())))
        .isEqualTo("rw-------");
    assertThat(PlanSecrets.keyId(PlanSecrets.readPublicKey(TestPlanKeys.publicKeyFile())))
        .isEqualTo(
            PlanSecrets.opener(PlanSecrets.readPrivateKey(TestPlanKeys.privateKeyFile())).keyId());
  }

  @Test
  void aMissingOrWrongKeyFileIsACleanStartupError() {
    assertThatThrownBy(() -> PlanSealing.fromPublicKeyFile("/nonexistent/plans.pub"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/nonexistent/plans.pub");
    assertThatThrownBy(
            () -> PlanSealing.fromPublicKeyFile(TestPlanKeys.privateKeyFile().toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BEGIN PUBLIC KEY");
  }
}
