package dev.easel.agent.run;

import dev.easel.agent.Log;
import dev.easel.agent.server.ApiException;
import dev.easel.agent.server.ArtifactFile;
import dev.easel.agent.server.ServerApi;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Uploads the files a succeeded step declared as artifacts, before its success is reported: a
 * plan's next step, or whoever waits for the plan, may rely on them.
 *
 * <p>Every file is read for its digest before any is sent, so a step that left one out fails with
 * nothing uploaded, and its retry is not held to content stored by a failed attempt. For each file
 * the server is asked first what it has: content it has already is not sent again, and an upload it
 * would refuse is not sent at all.
 *
 * <p>A missing file, or an artifact the server refuses, fails the step with a reason that names it.
 * A server that cannot be reached, fails (5xx) or refuses the credential fails the upload instead:
 * the step's result stays in the journal, and the uploads are made again from the files on the next
 * attempt to report it.
 */
final class ArtifactUploads {

  /** The server's side of artifacts; the real agent's is {@link ServerApi}, joined. */
  interface Server {

    /** What is stored for the artifact; empty when nothing is and an upload would be taken. */
    Optional<ServerApi.StoredArtifact> stored(String plan, String step, String name)
        throws Exception;

    ServerApi.StoredArtifact upload(String plan, String step, String name, ArtifactFile file)
        throws Exception;
  }

  private final Server server;

  ArtifactUploads(Server server) {
    this.server = server;
  }

  /**
   * Uploads the step's artifacts if it succeeded.
   *
   * @return the result to report: {@code result} itself, or a failure naming the artifact that
   *     could not be uploaded
   * @throws Exception when the server could not take an upload now; report nothing yet
   */
  ServerApi.StepResult afterStep(String plan, ServerApi.Step step, ServerApi.StepResult result)
      throws Exception {
    if (!"SUCCEEDED".equals(result.outcome()) || step.artifacts().isEmpty()) {
      return result;
    }
    List<ArtifactFile> files = new ArrayList<>();
    for (ServerApi.Artifact artifact : step.artifacts()) {
      try {
        files.add(ArtifactFile.of(Path.of(artifact.path())));
      } catch (NoSuchFileException e) {
        return failed(
            result,
            "artifact " + artifact.path() + " is missing: the step succeeded but did not write it");
      } catch (IOException e) {
        return failed(result, "artifact " + artifact.path() + " cannot be read: " + e.getMessage());
      }
    }
    for (int i = 0; i < files.size(); i++) {
      String name = step.artifacts().get(i).name();
      ArtifactFile file = files.get(i);
      try {
        Optional<ServerApi.StoredArtifact> stored = server.stored(plan, step.id(), name);
        if (stored.isPresent() && !stored.get().digest().equals(file.digest())) {
          return failed(
              result,
              "artifact "
                  + name
                  + " is stored with the digest "
                  + stored.get().digest()
                  + ", and the step wrote "
                  + file.digest()
                  + "; an artifact is not replaced");
        }
        ServerApi.StoredArtifact kept =
            stored.isPresent() ? stored.get() : server.upload(plan, step.id(), name, file);
        Log.info(
            (stored.isPresent() ? "artifact " : "uploaded artifact ")
                + name
                + " of step "
                + step.id()
                + " ("
                + kept.size()
                + " bytes, "
                + kept.digest()
                + ")"
                + (stored.isPresent() ? " was stored already" : ""));
      } catch (ApiException e) {
        if (e.status() == 401 || e.status() >= 500) {
          throw e;
        }
        return failed(result, "artifact " + name + " was refused: " + e.getMessage());
      }
    }
    return result;
  }

  private static ServerApi.StepResult failed(ServerApi.StepResult result, String reason) {
    String output = result.output() == null ? "" : result.output();
    return new ServerApi.StepResult(
        result.attempt(),
        "FAILED",
        result.exitCode(),
        reason,
        output + (output.isEmpty() || output.endsWith("\n") ? "" : "\n") + reason + "\n",
        result.durationMs());
  }
}
