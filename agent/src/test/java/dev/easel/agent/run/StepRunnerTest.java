package dev.easel.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.agent.server.ServerApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepRunnerTest {

  @TempDir Path dir;

  private final StepRunner runner =
      new StepRunner(new ShellExecutor(64 * 1024), () -> null, inventory -> {});

  private static ServerApi.Step step(String command, Map<String, String> secrets) {
    return new ServerApi.Step("s", "s", command, null, Map.of(), 30, 0, "PENDING", 1, secrets);
  }

  @Test
  void aSecretFileIsThereOnlyWhileItsStepRunsReadableByItsOwnerOnly() throws Exception {
    Path token = dir.resolve("kairos").resolve("token");
    ShellExecutor.Outcome o =
        runner.run(
            step(
                "stat -c %a " + token + " " + token.getParent() + "; wc -c < " + token,
                Map.of(token.toString(), "join-token-123")));
    assertThat(o.succeeded()).as(o.output()).isTrue();
    assertThat(o.output()).contains("600").contains("700").contains("14");
    assertThat(token).doesNotExist();
  }

  @Test
  void aSecretPrintedByItsStepIsMaskedInTheOutput() {
    Path token = dir.resolve("token");
    ShellExecutor.Outcome o =
        runner.run(
            step("cat " + token + "; echo; echo done", Map.of(token.toString(), "s3cret-42")));
    assertThat(o.succeeded()).isTrue();
    assertThat(o.output()).doesNotContain("s3cret-42").contains(StepRunner.MASK).contains("done");
  }

  @Test
  void aFailedStepStillRemovesItsSecretFiles() throws Exception {
    Path token = dir.resolve("token");
    ShellExecutor.Outcome o = runner.run(step("exit 7", Map.of(token.toString(), "s3cret")));
    assertThat(o.succeeded()).isFalse();
    assertThat(o.exitCode()).isEqualTo(7);
    assertThat(token).doesNotExist();
  }

  @Test
  void aSecretFileReplacesAFileLeftAtItsPathWithOwnerOnlyMode() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "old");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    ShellExecutor.Outcome o =
        runner.run(
            step("stat -c %a " + token + "; cat " + token, Map.of(token.toString(), "new1")));
    assertThat(o.output()).startsWith("600").doesNotContain("old");
  }
}
