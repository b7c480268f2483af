package dev.easel.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.agent.server.ServerApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirTest {

  @TempDir Path dir;

  @Test
  void theCredentialFileIsReadableByItsOwnerOnly() throws Exception {
    StateDir state = new StateDir(dir.resolve("agent"));
    NodeAgent.Identity id = new NodeAgent.Identity("http://x", UUID.randomUUID(), "secret", 10);
    state.write(NodeAgent.NODE_FILE, id);
    Path file = dir.resolve("agent").resolve(NodeAgent.NODE_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(state.read(NodeAgent.NODE_FILE, NodeAgent.Identity.class)).contains(id);
    try (var files = Files.list(file.getParent())) {
      assertThat(files).as("no temporary file is left behind").hasSize(1);
    }
  }

  @Test
  void aCorruptStateFileIsNamedInTheError() throws Exception {
    StateDir state = new StateDir(dir);
    Files.writeString(dir.resolve(NodeAgent.NODE_FILE), "{not json");
    assertThatThrownBy(() -> state.read(NodeAgent.NODE_FILE, NodeAgent.Identity.class))
        .hasMessageContaining(NodeAgent.NODE_FILE)
        .hasMessageContaining("remove it");
  }

  @Test
  void theJournalKeepsResultsUntilTheirPlanLeavesTheFeed() throws Exception {
    StepJournal journal = new StepJournal(new StateDir(dir));
    ServerApi.StepResult done = new ServerApi.StepResult(1, "SUCCEEDED", 0, null, "ok", 5);
    journal.record("p1", "a", done);
    journal.record("p2", "a", done);
    assertThat(journal.find("p1", "a", 1)).contains(done);
    assertThat(journal.find("p1", "a", 2)).as("another attempt is another run").isEmpty();
    journal.keepOnly(java.util.Set.of("p2"));
    assertThat(journal.find("p1", "a", 1)).isEmpty();
    assertThat(journal.find("p2", "a", 1)).contains(done);
  }

  @Test
  void journalNamesAreSafeFileNamesForAnyPlanOrStepId() {
    assertThat(StepJournal.name("../../etc", "a/b", 2))
        .doesNotContain("..")
        .startsWith("journal/")
        .endsWith(".2.json")
        .matches("journal/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+\\.2\\.json");
  }
}
