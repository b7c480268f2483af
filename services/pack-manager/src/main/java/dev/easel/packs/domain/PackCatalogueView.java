package dev.easel.packs.domain;

import java.util.List;

/** What profile rules need to know of the pack catalogue. */
public interface PackCatalogueView {

  /** Every registry's copy of exactly this pack version; empty when no registry has it. */
  List<CataloguedPack> versions(String packName, String version);
}
