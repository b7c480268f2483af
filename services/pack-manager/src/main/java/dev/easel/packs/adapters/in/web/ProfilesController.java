package dev.easel.packs.adapters.in.web;

import dev.easel.packs.adapters.in.web.Views.ProfileView;
import dev.easel.packs.application.Profiles;
import dev.easel.packs.application.RequestRefused;
import dev.easel.packs.domain.FieldProblem;
import dev.easel.packs.domain.ProfileDefinition;
import dev.easel.packs.domain.ProfileResolution;
import dev.easel.packs.domain.ProfileVersion;
import dev.easel.packs.domain.Variable;
import dev.easel.packs.domain.Yaml;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** Cluster profiles: drafts, versions, publishing, resolution, export and import. */
@RestController
@RequestMapping("/api/v1/profiles")
class ProfilesController {

  /** The kind of an exported profile document. */
  static final String KIND = "ClusterProfile";

  static final String API_VERSION = "easel.dev/v1";

  private final Profiles profiles;
  private final ObjectMapper json;

  ProfilesController(Profiles profiles, ObjectMapper json) {
    this.profiles = profiles;
    this.json = json;
  }

  @PostMapping
  ResponseEntity<ProfileView> create(@RequestBody ProfileDefinition definition) {
    ProfileVersion v = profiles.create(definition);
    return created(v);
  }

  /** A dry run: every problem at once, nothing stored. */
  @PostMapping("/validate")
  Validation validate(@RequestBody ProfileDefinition definition) {
    List<FieldProblem> problems = profiles.validate(definition);
    return new Validation(problems.isEmpty(), problems);
  }

  record Validation(boolean valid, List<FieldProblem> errors) {}

  /** The latest version of every profile. */
  @GetMapping
  List<ProfileView> list() {
    return profiles.latest().stream().map(v -> ProfileView.of(v, null)).toList();
  }

  @GetMapping("/{name}/versions")
  List<ProfileView> versions(@PathVariable String name) {
    return profiles.versions(name).stream().map(v -> ProfileView.of(v, null)).toList();
  }

  /** A new draft version from an existing one ({@code from}), with the fields that change. */
  @PostMapping("/{name}/versions")
  ResponseEntity<ProfileView> newVersion(
      @PathVariable String name, @RequestBody NewVersion request) {
    if (request.from() == null || request.version() == null) {
      throw RequestRefused.invalid(
          "invalid-profile",
          List.of(
              new FieldProblem(
                  request.from() == null ? "from" : "version",
                  "required",
                  "a new version names the version it starts from and its own number")));
    }
    ProfileVersion v =
        profiles.newVersion(
            name,
            request.from(),
            new ProfileDefinition(
                name,
                request.description(),
                request.type(),
                request.cloudType(),
                request.version(),
                request.layers(),
                request.variables()));
    return created(v);
  }

  record NewVersion(
      String from,
      String version,
      String description,
      String type,
      String cloudType,
      List<dev.easel.packs.domain.ProfileLayer> layers,
      List<Variable> variables) {}

  @GetMapping("/{name}/versions/{version}")
  ResponseEntity<ProfileView> get(@PathVariable String name, @PathVariable String version) {
    ProfileVersion v = profiles.get(name, version);
    return ResponseEntity.ok()
        .eTag("\"" + v.revision() + "\"")
        .body(ProfileView.of(v, profiles.usedBy(name, version)));
  }

  /** Replaces a draft; a published version answers 409. */
  @PutMapping("/{name}/versions/{version}")
  ResponseEntity<ProfileView> update(
      @PathVariable String name,
      @PathVariable String version,
      @RequestHeader(value = "If-Match", required = false) String ifMatch,
      @RequestBody ProfileDefinition definition) {
    ProfileVersion v =
        profiles.update(name, version, definition, RegistriesController.revision(ifMatch));
    return ResponseEntity.ok().eTag("\"" + v.revision() + "\"").body(ProfileView.of(v, null));
  }

  @PostMapping("/{name}/versions/{version}/publish")
  ResponseEntity<ProfileView> publish(
      @PathVariable String name,
      @PathVariable String version,
      @RequestHeader(value = "If-Match", required = false) String ifMatch) {
    ProfileVersion v = profiles.publish(name, version, RegistriesController.revision(ifMatch));
    return ResponseEntity.ok().eTag("\"" + v.revision() + "\"").body(ProfileView.of(v, null));
  }

  @DeleteMapping("/{name}/versions/{version}")
  ResponseEntity<Void> delete(@PathVariable String name, @PathVariable String version) {
    profiles.delete(name, version);
    return ResponseEntity.noContent().build();
  }

  /**
   * The bill of materials with variables given as query parameters {@code var.<name>=<value>}
   * (defaults for the rest).
   */
  @GetMapping("/{name}/versions/{version}/resolved")
  ProfileResolution.Resolved resolved(
      @PathVariable String name,
      @PathVariable String version,
      @RequestParam Map<String, String> params) {
    Map<String, String> variables = new LinkedHashMap<>();
    params.forEach(
        (k, v) -> {
          if (k.startsWith("var.")) {
            variables.put(k.substring(4), v);
          }
        });
    return profiles.resolve(name, version, variables);
  }

  /** The same, with variables in the body, {@code {"variables": {...}}}, for sensitive values. */
  @PostMapping("/{name}/versions/{version}/resolved")
  ProfileResolution.Resolved resolvedWith(
      @PathVariable String name, @PathVariable String version, @RequestBody Resolve body) {
    return profiles.resolve(name, version, body.variables() == null ? Map.of() : body.variables());
  }

  record Resolve(Map<String, String> variables) {}

  /** The version as a YAML document; sensitive defaults are left out. */
  @GetMapping(value = "/{name}/versions/{version}/export", produces = "application/yaml")
  ResponseEntity<String> export(@PathVariable String name, @PathVariable String version) {
    ProfileDefinition d = Views.masked(profiles.get(name, version).definition());
    ObjectNode doc = json.createObjectNode();
    doc.put("apiVersion", API_VERSION);
    doc.put("kind", KIND);
    ObjectNode spec = (ObjectNode) json.valueToTree(d);
    for (JsonNode v : spec.withArray("variables")) {
      if (v.path("sensitive").asBoolean(false)) {
        ((ObjectNode) v).remove("defaultValue");
      }
    }
    doc.set("spec", spec);
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/yaml"))
        .header("Content-Disposition", "attachment; filename=\"" + name + "-" + version + ".yaml\"")
        .body(Yaml.dump(doc));
  }

  /**
   * Imports a YAML document (as export writes it) as a new draft, validated against the catalogue.
   */
  @PostMapping(
      value = "/import",
      consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain"})
  ResponseEntity<ProfileView> importProfile(@RequestBody byte[] body) {
    JsonNode doc;
    try {
      doc = Yaml.parseMapping(new String(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new RequestRefused(
          RequestRefused.Kind.INVALID,
          "malformed-profile-document",
          "not a YAML document: " + e.getMessage());
    }
    if (!KIND.equals(doc.path("kind").asString(null)) || !doc.path("spec").isObject()) {
      throw new RequestRefused(
          RequestRefused.Kind.INVALID,
          "malformed-profile-document",
          "a profile document has kind: " + KIND + " and a spec");
    }
    ProfileDefinition d;
    try {
      d = json.treeToValue(doc.get("spec"), ProfileDefinition.class);
    } catch (JacksonException e) {
      throw new RequestRefused(
          RequestRefused.Kind.INVALID,
          "malformed-profile-document",
          "the spec does not have a profile's shape: " + e.getOriginalMessage());
    }
    return created(profiles.create(d));
  }

  private static ResponseEntity<ProfileView> created(ProfileVersion v) {
    return ResponseEntity.created(
            URI.create("/api/v1/profiles/" + v.name() + "/versions/" + v.version()))
        .eTag("\"" + v.revision() + "\"")
        .body(ProfileView.of(v, null));
  }
}
