package dev.easel.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellExecutorTest {

  @TempDir Path dir;

  @Test
  void reportsTheExitCodeAndOutputOfBothStreams() {
    ShellExecutor.Outcome o =
        new ShellExecutor(1024).run("echo out; echo err >&2; exit 3", Duration.ofSeconds(10));
    assertThat(o.exitCode()).isEqualTo(3);
    assertThat(o.output()).contains("out").contains("err");
    assertThat(o.succeeded()).isFalse();
    assertThat(o.failure()).isNull();
  }

  @Test
  void keepsOnlyTheLastBytesOfALongOutput() {
    ShellExecutor.Outcome o =
        new ShellExecutor(100)
            .run(
                "i=0; while [ $i -lt 1000 ]; do echo line$i; i=$((i+1)); done",
                Duration.ofSeconds(10));
    assertThat(o.succeeded()).isTrue();
    assertThat(o.outputBytes()).isGreaterThan(5000);
    assertThat(o.output()).startsWith("[").contains("earlier bytes dropped").endsWith("line999\n");
    assertThat(o.output().length()).isLessThan(160);
  }

  @Test
  void aTimedOutCommandIsKilledWithItsChildren() throws Exception {
    Path marker = dir.resolve("survived");
    ShellExecutor.Outcome o =
        new ShellExecutor(1024)
            .run("(sleep 2; touch " + marker + ") & sleep 30", Duration.ofMillis(500));
    assertThat(o.exitCode()).isNull();
    assertThat(o.failure()).contains("timed out");
    Thread.sleep(2_500);
    assertThat(marker).as("the child was killed too").doesNotExist();
  }

  @Test
  void interruptingTheRunCancelsIt() throws Exception {
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      Future<ShellExecutor.Outcome> f =
          ex.submit(() -> new ShellExecutor(1024).run("sleep 30", Duration.ofSeconds(60)));
      Thread.sleep(300);
      long started = System.nanoTime();
      f.cancel(true);
      ex.shutdown();
      assertThat(ex.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    } finally {
      ex.shutdownNow();
    }
  }

  @Test
  void writeFileModesReadAsPermissionStrings() throws Exception {
    assertThat(StepRunner.rwx("0640")).isEqualTo("rw-r-----");
    assertThat(StepRunner.rwx("755")).isEqualTo("rwxr-xr-x");
    assertThat(Files.exists(dir)).isTrue();
  }
}
