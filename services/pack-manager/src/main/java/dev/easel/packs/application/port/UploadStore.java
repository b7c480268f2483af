package dev.easel.packs.application.port;

import dev.easel.packs.domain.Upload;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Bundle uploads and their progress. */
public interface UploadStore {

  void insert(Upload upload);

  void update(Upload upload);

  Optional<Upload> find(UUID id);

  List<Upload> recent(UUID registryId, int limit);

  /** Uploads an earlier process left unfinished; they failed with it. */
  List<Upload> unfinished();
}
