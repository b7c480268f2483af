package dev.easel.common.config;

import java.util.List;

/**
 * Contract records a service adds to the shipped ones, for example test or benchmark contracts.
 * Declare a bean of this type; the registry takes them all.
 */
public record ContractTypes(List<Class<?>> types) {

  public static ContractTypes of(Class<?>... types) {
    return new ContractTypes(List.of(types));
  }
}
