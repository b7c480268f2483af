package dev.easel.packs.adapters.in.web;

import dev.easel.packs.adapters.in.web.Views.PackPage;
import dev.easel.packs.application.Catalogue;
import dev.easel.packs.application.port.CatalogueStore;
import dev.easel.packs.domain.CataloguedPack;
import dev.easel.packs.domain.PackManifest;
import dev.easel.packs.domain.ValuesSchema;
import dev.easel.packs.domain.Yaml;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The pack catalogue. */
@RestController
@RequestMapping("/api/v1/packs")
class PacksController {

  private final Catalogue catalogue;

  PacksController(Catalogue catalogue) {
    this.catalogue = catalogue;
  }

  /** Pack versions, by name then newest version first, in cursor pages. */
  @GetMapping
  PackPage list(
      @RequestParam(value = "layer", required = false) String layer,
      @RequestParam(value = "cloudType", required = false) String cloudType,
      @RequestParam(value = "name", required = false) String name,
      @RequestParam(value = "registry", required = false) String registry,
      @RequestParam(value = "q", required = false) String q,
      @RequestParam(value = "cursor", required = false) String cursor,
      @RequestParam(value = "limit", defaultValue = "100") int limit) {
    Catalogue.Page p =
        catalogue.list(
            new CatalogueStore.Filter(layer, cloudType, name, registry, q), cursor, limit);
    return new PackPage(p.items(), p.next());
  }

  @GetMapping("/{name}/versions")
  List<CatalogueStore.Summary> versions(@PathVariable String name) {
    return catalogue.versions(name);
  }

  /**
   * One version's fields, values, schema, presets and README, from the named registry, or the
   * internal registry, or the first that has it.
   */
  @GetMapping("/{name}/versions/{version}")
  PackDetail version(
      @PathVariable String name,
      @PathVariable String version,
      @RequestParam(value = "registry", required = false) String registry) {
    Catalogue.Detail d = catalogue.version(name, version, registry);
    CataloguedPack p = d.pack();
    List<ValuesSchema.Rule> schema = List.of();
    if (p.schemaYaml() != null) {
      try {
        schema = ValuesSchema.parse(p.schemaYaml()).rules();
      } catch (IllegalArgumentException e) {
        schema = List.of();
      }
    }
    JsonNode presets = null;
    if (p.presetsYaml() != null) {
      try {
        presets = Yaml.parseMapping(p.presetsYaml()).get("presets");
      } catch (IllegalArgumentException e) {
        presets = null;
      }
    }
    return new PackDetail(
        p.manifest(),
        p.registry(),
        p.registryId(),
        p.repository(),
        p.digest(),
        p.valuesYaml(),
        p.schemaYaml(),
        schema,
        presets,
        d.readme(),
        d.copies());
  }

  /** A pack version in full. */
  record PackDetail(
      PackManifest pack,
      String registry,
      String registryId,
      String repository,
      String digest,
      String values,
      String schema,
      List<ValuesSchema.Rule> schemaRules,
      JsonNode presets,
      String readme,
      List<CatalogueStore.Summary> registries) {}
}
