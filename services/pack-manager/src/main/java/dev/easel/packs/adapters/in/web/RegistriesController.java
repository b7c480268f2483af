package dev.easel.packs.adapters.in.web;

import dev.easel.packs.adapters.in.web.Views.RegistryView;
import dev.easel.packs.adapters.in.web.Views.UploadView;
import dev.easel.packs.application.Registries;
import dev.easel.packs.application.RequestRefused;
import dev.easel.packs.application.Uploads;
import dev.easel.packs.domain.Registry;
import dev.easel.packs.domain.RegistrySpec;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Registries, their health and sync, and bundle uploads to them. */
@RestController
@RequestMapping("/api/v1")
class RegistriesController {

  private final Registries registries;
  private final Uploads uploads;
  private final ObjectMapper json;

  RegistriesController(Registries registries, Uploads uploads, ObjectMapper json) {
    this.registries = registries;
    this.uploads = uploads;
    this.json = json;
  }

  @PostMapping("/registries")
  ResponseEntity<RegistryView> create(@RequestBody RegistrySpec spec) {
    Registry r = registries.create(spec);
    registries.requestSync(r.id());
    return ResponseEntity.created(URI.create("/api/v1/registries/" + r.id()))
        .eTag(etag(r))
        .body(RegistryView.of(registries.get(r.id())));
  }

  @GetMapping("/registries")
  List<RegistryView> list() {
    return registries.list().stream().map(RegistryView::of).toList();
  }

  @GetMapping("/registries/{id}")
  ResponseEntity<RegistryView> get(@PathVariable UUID id) {
    Registry r = registries.get(id);
    return ResponseEntity.ok().eTag(etag(r)).body(RegistryView.of(r));
  }

  /**
   * JSON merge patch: fields present change, absent ones keep their values; {@code "password":
   * null} removes the password.
   */
  @PatchMapping("/registries/{id}")
  ResponseEntity<RegistryView> patch(
      @PathVariable UUID id,
      @RequestHeader(value = "If-Match", required = false) String ifMatch,
      @RequestBody JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new RequestRefused(
          RequestRefused.Kind.INVALID, "malformed-body", "a registry patch is a JSON object");
    }
    RegistrySpec spec = json.treeToValue(body, RegistrySpec.class);
    Registry r = registries.update(id, spec, body.has("password"), revision(ifMatch));
    registries.requestSync(id);
    return ResponseEntity.ok().eTag(etag(r)).body(RegistryView.of(r));
  }

  @DeleteMapping("/registries/{id}")
  ResponseEntity<Void> delete(@PathVariable UUID id) {
    registries.delete(id);
    return ResponseEntity.noContent().build();
  }

  /** Checks the registry's health now. */
  @PostMapping("/registries/{id}/check")
  RegistryView check(@PathVariable UUID id) {
    registries.get(id);
    registries.checkHealth(id);
    return RegistryView.of(registries.get(id));
  }

  /** Starts a sync; its status is the registry's {@code sync}. */
  @PostMapping("/registries/{id}/sync")
  ResponseEntity<Registry.SyncStatus> sync(@PathVariable UUID id) {
    registries.get(id);
    registries.requestSync(id);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .location(URI.create("/api/v1/registries/" + id + "/sync"))
        .body(registries.get(id).sync());
  }

  @GetMapping("/registries/{id}/sync")
  Registry.SyncStatus syncStatus(@PathVariable UUID id) {
    return registries.get(id).sync();
  }

  /**
   * A bundle, streamed: a pack archive ({@code .tar.gz}) or an Easel pack bundle ({@code
   * .tar.zst}); its detached signature, base64, in {@code Bundle-Signature}.
   */
  @PostMapping("/registries/{id}/bundles")
  ResponseEntity<UploadView> upload(
      @PathVariable UUID id,
      @RequestParam(value = "filename", required = false) String filename,
      @RequestHeader(value = "Bundle-Signature", required = false) String signature,
      HttpServletRequest request)
      throws IOException {
    // Everything that needs no body is checked before a byte of it is read.
    var u =
        uploads.receive(
            id, filename, request.getContentLengthLong(), signature, request.getInputStream());
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .location(URI.create("/api/v1/uploads/" + u.id()))
        .body(UploadView.of(u));
  }

  @GetMapping("/registries/{id}/uploads")
  List<UploadView> uploads(
      @PathVariable UUID id, @RequestParam(value = "limit", defaultValue = "50") int limit) {
    registries.get(id);
    return uploads.recent(id, Math.max(1, Math.min(limit, 500))).stream()
        .map(UploadView::of)
        .toList();
  }

  @GetMapping("/uploads/{id}")
  UploadView uploadStatus(@PathVariable UUID id) {
    return UploadView.of(uploads.get(id));
  }

  static String etag(Registry r) {
    return "\"" + r.revision() + "\"";
  }

  static Long revision(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
      return null;
    }
    String v = ifMatch.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    v = v.replace("\"", "");
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new RequestRefused(
          RequestRefused.Kind.INVALID,
          "invalid-if-match",
          "If-Match must be an ETag this service gave");
    }
  }
}
